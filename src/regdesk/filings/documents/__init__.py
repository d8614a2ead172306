"""The documents of an ICP filing, as plain functions over bytes and data classes (no Django, no database).

- `photo`: the person in charge's photo (主体负责人照片) — `check_photo`, `prepare_photo` (kept as taken, plus an
  upload copy within the interface's limit).
- `verification_form`: the verification form (网站备案信息真实性核验单) — `render_verification_form`, both copies in
  one PDF, the second sealed.
- `certificate`: the electronic certificate (`bazs.cert`) — `issue`, `verify` and the Ed25519 key helpers.
- `errors`: `DocumentError` and its subclasses, each with a stable code and a Chinese and an English message.
- `limits`: the interface's size limits.

Import the module you need: this package imports none of them, so that using the certificate does not load OpenCV.
"""
