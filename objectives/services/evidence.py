"""Evidence files: what a file is, judged by its bytes (libmagic), never by its name.

HTML, SVG and scripts are refused whatever they are called; an Office file must be the
archive its extension says; text must be text. The detected type is what the download
answers with."""

import zipfile
from pathlib import PurePath

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

SNIFF_BYTES = 64 * 1024
# What the inside of each Office archive must hold.
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# Text that a browser could run, looked for in files that claim to be plain text.
MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body")


def _extension(upload: UploadedFile) -> str:
    return PurePath(upload.name or "").suffix.lower().lstrip(".")


def _head(upload: UploadedFile) -> bytes:
    """The file's first bytes, the upload left at its start."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _holds_what_it_says(
    upload: UploadedFile, extension: str, found: str, head: bytes
) -> bool:
    if found not in settings.EVIDENCE_TYPES.get(extension, []):
        return False
    if extension in OFFICE_PARTS:
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                return OFFICE_PARTS[extension] in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
    if found.startswith("text/"):
        lowered = head.lower()
        return not any(marker in lowered for marker in MARKUP)
    return True


def evidence_file_errors(upload: UploadedFile | None) -> list[str]:
    """What is wrong with an uploaded evidence file, in the reader's language."""
    if upload is None:
        return []
    extension = _extension(upload)
    if extension not in settings.EVIDENCE_TYPES:
        return [
            _(
                "Files of type “%(extension)s” are not accepted; use one of: %(allowed)s."
            )
            % {
                "extension": extension or "?",
                "allowed": ", ".join(settings.EVIDENCE_TYPES),
            }
        ]
    if upload.size is not None and upload.size > settings.EVIDENCE_MAX_BYTES:
        return [
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": round(upload.size / 1_048_576, 1),
                "limit": round(settings.EVIDENCE_MAX_BYTES / 1_048_576, 1),
            }
        ]
    head = _head(upload)
    found = magic.from_buffer(head, mime=True)  # libmagic reads the first bytes
    if not _holds_what_it_says(upload, extension, found, head):
        return [
            _(
                "The file “%(name)s” does not hold what a .%(extension)s file holds "
                "(its content is %(found)s); attach the document itself."
            )
            % {
                "name": PurePath(upload.name).name,
                "extension": extension,
                "found": found,
            }
        ]
    return []


def evidence_content_type(upload: UploadedFile, extension: str = "") -> str:
    """The type a download answers with: the specific one for Office files."""
    extension = extension or _extension(upload)
    return settings.EVIDENCE_TYPES[extension][0]
