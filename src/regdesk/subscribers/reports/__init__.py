"""The real-name-rate report (实名率报表): the rate by operator unit, channel, region and over time, against the
targets, on the desk at /desk/subscribers/reports/ and as XLSX and PDF downloads. Aggregates only: no line, number
or person appears in it."""
