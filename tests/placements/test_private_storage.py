import pytest
from django.core.files.base import ContentFile

from placements.models import private_storage


def test_private_storage_follows_the_setting_and_has_no_public_url(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    storage = private_storage()
    name = storage.save("proofs/bulletin.pdf", ContentFile(b"%PDF-1.4"))
    assert (tmp_path / name).read_bytes() == b"%PDF-1.4"
    with pytest.raises(NotImplementedError, match="through a view"):
        storage.url(name)
