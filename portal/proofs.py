"""Checks of the proof files employers upload with their monthly declarations.

A file is accepted by what it contains (its first bytes), never by its name or by the type the
browser announces: a PDF named ``.png`` is a PDF; a text file named ``.pdf`` is refused. The stored
name is generated; the name the person gave is kept apart, for display and download only.
"""

import os
import uuid
from dataclasses import dataclass

MAX_PROOF_SIZE = 10 * 1024 * 1024  # 10 Mo
MAX_ORIGINAL_NAME = 200


@dataclass(frozen=True)
class ProofKind:
    magic: bytes
    content_type: str
    extension: str
    label: str


PROOF_KINDS = (
    ProofKind(b"%PDF-", "application/pdf", ".pdf", "PDF"),
    ProofKind(b"\xff\xd8\xff", "image/jpeg", ".jpg", "JPEG"),
    ProofKind(b"\x89PNG\r\n\x1a\n", "image/png", ".png", "PNG"),
)
_HEADER_LENGTH = max(len(kind.magic) for kind in PROOF_KINDS)


class ProofRejected(ValueError):
    """The French reason why a file cannot be a proof."""


def kind_of(header):
    """The kind of file these first bytes start, or None."""
    for kind in PROOF_KINDS:
        if header.startswith(kind.magic):
            return kind
    return None


def size_label(size):
    """A size in words a person reads: "2,4 Mo", "180 Ko"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " Mo"
    return f"{max(1, round(size / 1024))} Ko"


def check_proof(uploaded):
    """The kind of an uploaded file; ProofRejected (in French) when it cannot be a proof."""
    if uploaded is None or uploaded.size == 0:
        raise ProofRejected("Le fichier est vide : choisissez le bon fichier.")
    if uploaded.size > MAX_PROOF_SIZE:
        raise ProofRejected(
            f"Le fichier pèse {size_label(uploaded.size)} : 10 Mo au plus. "
            "Réduisez-le (numérisation en noir et blanc, ou en plusieurs fichiers)."
        )
    uploaded.seek(0)
    header = uploaded.read(_HEADER_LENGTH)
    uploaded.seek(0)
    kind = kind_of(header)
    if kind is None:
        raise ProofRejected("Ce fichier n'est ni un PDF, ni une image JPEG ou PNG : seuls ces formats sont acceptés.")
    return kind


def original_name(name):
    """The name the person gave, without any folder, for display; never used to store the file."""
    name = os.path.basename((name or "").replace("\\", "/")).strip()
    name = "".join(char for char in name if char.isprintable())
    if len(name) > MAX_ORIGINAL_NAME:
        stem, extension = os.path.splitext(name)
        name = stem[: MAX_ORIGINAL_NAME - len(extension[:10])] + extension[:10]
    return name or "justificatif"


def stored_name(kind):
    """A generated name that reveals nothing and cannot collide: its extension follows the content."""
    return f"{uuid.uuid4().hex}{kind.extension}"
