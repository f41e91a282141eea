"""The envelope: anything not exactly as the operator signed it is refused, with a reason."""

from __future__ import annotations

import gzip
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.protocol.messages import MAGIC, MAX_PAYLOAD_BYTES, Header, Rejected, decode, encode, encode_raw
from sync.signing import generate_signer

SIGNER = generate_signer()
OTHER = generate_signer()
BODY = {"changes": [["NIO-E1", "CHARGING", "2026-11-02T10:00:00Z"]], "note": "蔚来"}


def _msg(compression: str = "zstd", **kw) -> bytes:
    h = Header(kw.get("dataset", "cn-partners"), kw.get("kind", "status"), 3, 7, compression)
    return encode(h, kw.get("body", BODY), kw.get("signer", SIGNER))


def _reason(payload: bytes, dataset: str = "cn-partners") -> str:
    with pytest.raises(Rejected) as exc:
        decode(payload, SIGNER.verifier, dataset)
    return exc.value.reason


@pytest.mark.parametrize("compression", ["zstd", "gzip", "none"])
def test_round_trip_keeps_header_and_body(compression: str) -> None:
    env = decode(_msg(compression), SIGNER.verifier, "cn-partners")
    assert (env.header.kind, env.header.version, env.header.seq, env.header.compression) == (
        "status",
        3,
        7,
        compression,
    )
    assert env.body == BODY


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_flipped_byte_is_refused(data: st.DataObject) -> None:
    payload = bytearray(_msg())
    i = data.draw(st.integers(0, len(payload) - 1))
    payload[i] ^= data.draw(st.integers(1, 255))
    assert _reason(bytes(payload)) in {"bad signature", "not a sync message", "truncated"}


def test_wrong_key_wrong_dataset_truncated_oversized() -> None:
    assert _reason(_msg(signer=OTHER)) == "bad signature"
    assert _reason(_msg(), dataset="eu-partners") == "wrong dataset"
    assert _reason(_msg()[:40]) == "truncated"
    assert _reason(b"") == "truncated"
    assert _reason(b'{"json": true}' + bytes(80)) == "not a sync message"
    assert _reason(MAGIC + bytes(MAX_PAYLOAD_BYTES)) == "oversized"


def _forge(header_json: bytes, body: bytes) -> bytes:
    signed = MAGIC + struct.pack(">I", len(header_json)) + header_json + body
    return signed + SIGNER.sign(signed)


def test_wrongly_compressed_or_lying_about_size_is_refused_even_when_signed() -> None:
    raw = b'{"changes": []}'

    def hdr(comp, n):
        return b'{"ds":"cn-partners","kind":"status","v":1,"seq":1,"comp":"%s","raw":%d}' % (comp.encode(), n)

    assert _reason(_forge(hdr("zstd", len(raw)), gzip.compress(raw))) == "wrongly compressed"
    assert _reason(_forge(hdr("gzip", len(raw)), gzip.compress(raw)[:-9])) == "wrongly compressed"
    assert _reason(_forge(hdr("gzip", 3), gzip.compress(raw))) == "wrongly compressed"  # a bomb claiming to be small
    assert _reason(_forge(hdr("gzip", 10**12), gzip.compress(raw))) == "oversized"
    assert _reason(_forge(hdr("brotli", len(raw)), raw)) == "unknown compression"
    assert _reason(_forge(b"not json", raw)) == "malformed header"
    assert _reason(encode_raw(Header("cn-partners", "status", 1, 1, "none"), b"{broken", SIGNER)) == "malformed body"
