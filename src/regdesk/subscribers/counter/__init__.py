"""The counter pages of real-name registration (实名登记, for the clerks of an outlet, 营业员), mounted at
``/desk/subscribers/counter/`` (namespace ``subscribers_counter``), and the customers' self-service page of the
one-ID lookup (一证通查, namespace ``subscribers_self_service``, see ``self_service_urls``).

Every page calls the services of ``regdesk.subscribers.services``; nothing here writes to the database itself.
Objects are fetched through the gates of ``regdesk.subscribers.permissions`` (forbidden looks missing: 404).

Resident ID cards enter only as a reader's signed reading (``regdesk reader-sim read`` prints one). A clerk pastes
or uploads the JSON document; in a real deployment the desktop reader agent on the counter's computer POSTs the
same document, unchanged, to the same address (``.../readings/subscriber`` or ``.../readings/representative`` of
the registration, ``.../lookup/`` for the one-ID lookup) with ``Content-Type: application/json``, the clerk's
session cookie and the ``X-CSRFToken`` header, or to the JSON API ``POST /api/v1/subscribers/readings`` with an API
token. Either way the server verifies the device signature, freshness, nonce and outlet before anything is shown.
"""
