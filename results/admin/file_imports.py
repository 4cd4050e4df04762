"""What the admin's CSV imports share (a race's start list, skaters' bests): the upload form, which refuses a file
too big before reading a byte of it and reads it as text, and the confirm form, which carries the previewed text
back, no bigger than a file could be. Whatever either refuses comes back on the upload page, said in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

ERROR_CONFIRM_TOO_BIG = "What came back to import is {size} kB; a file may have {largest} kB. Upload the file again."
ERROR_CONFIRM_CHANGED = (
    "What came back to import is not what was checked ({problem}). Upload the file again and check it once more."
)
ERROR_NO_FILE = "Choose the CSV file to upload."

Decode = Callable[[bytes], str]


class UploadForm(forms.Form):
    """One CSV file, read as text by ``decode`` (which raises with ``.messages`` for a file it cannot read) once its
    size is known to be at most ``largest`` bytes: a 80 MB upload is refused without being read."""

    file = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
        error_messages={"required": ERROR_NO_FILE, "empty": ERROR_NO_FILE},
    )

    def __init__(self, *args: Any, label: str, decode: Decode, largest: int, too_big: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label
        self.decode, self.largest, self.too_big = decode, largest, too_big
        self.refusals: list[str] = []

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.largest:
            raise forms.ValidationError(self.too_big.format(size=upload.size // 1024, limit=self.largest // 1024))
        try:
            self.cleaned_data["text"] = self.decode(upload.read(self.largest + 1))
        except ValueError as error:
            raise forms.ValidationError(list(getattr(error, "messages", [str(error)]))) from None
        return upload

    @property
    def text(self) -> str:
        return str(self.cleaned_data["text"])

    def refused(self, reasons: list[str]) -> UploadForm:
        """This (unbound) form, showing on the upload page why what came back was not imported."""
        self.refusals = reasons
        return self


class ConfirmForm(forms.Form):
    """The previewed text, sent back to be checked once more and imported; at most ``largest`` characters."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)

    def __init__(self, *args: Any, largest: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.largest = largest

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if len(text) > self.largest:
            raise forms.ValidationError(
                ERROR_CONFIRM_TOO_BIG.format(size=len(text) // 1024, largest=self.largest // 1024)
            )
        return text

    def problems(self) -> list[str]:
        """Why what came back cannot be imported, in words (a missing text, a NUL character, too many bytes)."""
        found = [str(message) for messages in self.errors.values() for message in messages]
        return [m if m.startswith("What came back") else ERROR_CONFIRM_CHANGED.format(problem=m) for m in found]
