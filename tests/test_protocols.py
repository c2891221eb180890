"""screening/protocols.py: the registry is read once, and again whenever PROTOCOL_DIRS changes."""

import pytest
from django.test import override_settings

from screening import protocols
from screening.eligibility.protocol import PROTOCOLS_DIR
from tests.protocol_files import AMENDMENT, protocol_text


def test_the_registry_is_read_once():
    assert protocols.registry() is protocols.registry()
    assert protocols.in_force() is protocols.in_force()


def test_a_changed_protocol_dirs_is_read_again_and_restored(tmp_path):
    (tmp_path / "protocol-2.0-test.toml").write_text(protocol_text(AMENDMENT), encoding="utf-8")
    shipped = protocols.registry()
    with override_settings(PROTOCOL_DIRS=[PROTOCOLS_DIR, tmp_path]):
        assert protocols.get("2.0-test").version == "2.0-test"
        assert [protocol.version for protocol in protocols.registry().all()] == ["1.0", "2.0-test"]
    with pytest.raises(protocols.ProtocolError, match="not registered"):
        protocols.get("2.0-test")
    assert [protocol.version for protocol in protocols.registry().all()] == [p.version for p in shipped.all()]
