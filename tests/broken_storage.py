import errno

from django.core.files.storage import FileSystemStorage


class FullDisk(FileSystemStorage):
    """Stands in for storage that has run out of room, as a disk or a bucket's quota does."""

    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")
