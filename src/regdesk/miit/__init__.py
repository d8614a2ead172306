"""The MIIT enterprise interface v3.0 (工信部备案管理系统企业系统接口): the adapter to the province filing system.

The adapter knows no process; it speaks the interface's records. Public API:

- ``regdesk.miit.records``: typed records — ``NewFiling`` (XZBA ``Baxx``: ``Owner``, ``Website``, ``Access``,
  ``IpRange``, ``Domain``, ``PreApproval``, ``PersonInCharge``, ``Attachment``) and the downloaded
  ``FilingResults`` (BAJG), ``PublishedFilings`` (BASJ) and ``PassThroughSection`` (every other kind).
- ``regdesk.miit.codec``: ``encode_new_filings`` (GBK XML checked against upload.xsd; ``UploadInvalid``,
  ``FieldNotEncodable``), ``pack``/``unpack`` (ZIP, MD5, AES-CBC), ``parse_download``, answers in
  ``codec.responses``; ``regdesk.miit.codes`` holds the msg_code and data-processing result code tables.
- ``regdesk.miit.transport``: ``MiitClient`` (SOAP 1.1; ``MiitPort`` is its typed interface).
- ``regdesk.miit.services``: ``miit_upload_prepare``, ``miit_upload_send``, ``miit_download_fetch``,
  ``miit_upload_purge``, ``miit_upload_export``; ``regdesk.miit.handlers.register_download_handler``.
- ``regdesk.miit.selectors``: ``upload_summary``, ``upload_for_owner_record``.
- ``regdesk.miit.tasks``: ``send_upload``, ``poll_downloads``, ``purge_uploads``.
- Settings: ``REGDESK_MIIT_*`` (see ``regdesk.miit.config``).
"""
