"""Operating-system errors in the words of the messages users read (French)."""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "chemin introuvable",
    errno.EACCES: "permission refusée",
    errno.EPERM: "permission refusée",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.EEXIST: "un fichier de ce nom existe déjà",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "quota disque dépassé",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EIO: "erreur d'entrée-sortie",
}


def os_error_reason(error: OSError) -> str:
    """Why an operation on a file failed, in French ("permission refusée"); the system's own words
    for an error not listed."""
    return _REASONS.get(error.errno or -1) or error.strerror or str(error)
