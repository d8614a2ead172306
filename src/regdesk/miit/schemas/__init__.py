"""The regulator's public XSDs of the enterprise interface v3.0, byte-identical copies of ``docs/miit-interface/``
(the specification handed with the project, see its SOURCE.md); a package so that they ship."""
