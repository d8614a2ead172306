"""The import form of the desk page: a schedule uploaded as a file or pasted as text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regdesk.calendars.importing import SOURCE_MAX_LENGTH, CalendarImportError, parse_calendar_text

MAX_FILE_BYTES = 256 * 1024


class CalendarImportForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False, help_text=_("A UTF-8 text file in the import format."))
    text = forms.CharField(
        label=_("Schedule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 60, "spellcheck": "false"}),
        help_text=_("Or paste the schedule here."),
    )
    source = forms.CharField(
        label=_("Source notice"),
        required=False,
        max_length=SOURCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("The State Council notice the schedule comes from; overrides a “source:” line."),
    )

    def _file_text(self) -> str | None:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            self.add_error("file", _("The file is larger than %(max)d KB.") % {"max": MAX_FILE_BYTES // 1024})
            return None
        try:
            return bytes(upload.read()).decode("utf-8")
        except UnicodeDecodeError:
            self.add_error("file", _("The file is not UTF-8 text."))
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.has_error("file") or self.has_error("text"):
            # The field's own error says what is wrong; "upload a file or paste" would contradict it.
            return cleaned
        pasted = (cleaned.get("text") or "").strip()
        has_file = bool(cleaned.get("file"))
        if has_file and pasted:
            raise forms.ValidationError(_("Upload a file or paste the schedule, not both."))
        if not has_file and not pasted:
            raise forms.ValidationError(_("Upload a file or paste the schedule."))
        text = self._file_text() if has_file else pasted
        if text is None:
            return cleaned
        try:
            cleaned["parsed"] = parse_calendar_text(text)
        except CalendarImportError as error:
            field = "file" if has_file else "text"
            for problem in error.problems:
                self.add_error(field, str(problem))
        return cleaned
