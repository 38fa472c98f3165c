import errno

from django.core.files.storage import FileSystemStorage


class FullDisk(FileSystemStorage):
    """Stands in for storage that has run out of room, as a disk or a bucket's quota does."""

    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


class UnreadableBucket(FileSystemStorage):
    """Stands in for an S3 bucket that refuses to hand a file back: its client raises errors
    of its own, not OSError."""

    def _open(self, name, mode="rb"):
        raise RuntimeError("An error occurred (AccessDenied) when calling the GetObject operation")
