"""Independent safetensors reader/writer in Python + numpy, for cross-checking the Java implementation.

Written from the format description (8-byte little-endian header length, JSON header, contiguous little-endian
data), not from the safetensors package, which is not installed here.

  read FILE   validate FILE and print a JSON summary: metadata, and per tensor dtype, shape, SHA-256 of its bytes
  write FILE  write F32, F16 and BF16 tensors the way the reference writer lays them out (sorted by dtype size
              then name, compact JSON, space padding to 8 bytes), plus F32 copies of the 16-bit values
"""
import hashlib
import json
import struct
import sys

import numpy as np

SIZES = {"F64": 8, "I64": 8, "U64": 8, "F32": 4, "I32": 4, "U32": 4, "F16": 2, "BF16": 2, "I16": 2, "U16": 2,
         "I8": 1, "U8": 1, "BOOL": 1}


def read(path):
    blob = open(path, "rb").read()
    (n,) = struct.unpack("<Q", blob[:8])
    assert 8 + n <= len(blob), "header longer than file"
    assert (8 + n) % 8 == 0, "data section not 8-byte aligned"
    text = blob[8:8 + n].decode("utf-8")
    assert text.startswith("{"), "header must start with {"
    assert text.rstrip(" ") == text.rstrip(), "padding must be spaces"
    header = json.loads(text)
    meta = header.pop("__metadata__", None)
    data = blob[8 + n:]
    end = 0
    out = {}
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        assert set(info) == {"dtype", "shape", "data_offsets"}, name
        begin, stop = info["data_offsets"]
        assert begin == end, f"{name}: gap or overlap"
        count = int(np.prod(info["shape"], dtype=np.int64))
        assert stop - begin == count * SIZES[info["dtype"]], f"{name}: size"
        raw = data[begin:stop]
        entry = {"dtype": info["dtype"], "shape": info["shape"], "sha256": hashlib.sha256(raw).hexdigest()}
        if info["dtype"] == "F32":
            values = np.frombuffer(raw, dtype="<f4")
            entry["finiteSum"] = float(values[np.isfinite(values)].astype(np.float64).sum())
        out[name] = entry
        end = stop
    assert end == len(data), "trailing bytes"
    print(json.dumps({"metadata": meta, "tensors": out, "order": [k for k in header]}))


def write(path):
    base = (np.arange(24, dtype=np.float64) - 11.5) / 7.0
    f32 = base.astype("<f4").reshape(4, 6)
    f16 = (base * 100).astype("<f2").reshape(2, 12)
    bf16_bits = (((base * 1000).astype("<f4").view("<u4") >> 16).astype("<u2")).reshape(3, 8)
    tensors = {
        "a.weight": ("F32", f32),
        "b.half": ("F16", f16),
        "c.bfloat": ("BF16", bf16_bits),
        "b.half.as_f32": ("F32", f16.astype("<f4")),
        "c.bfloat.as_f32": ("F32", (bf16_bits.astype("<u4") << 16).view("<f4")),
    }
    order = sorted(tensors, key=lambda k: (-SIZES[tensors[k][0]], k))
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name in order:
        dtype, array = tensors[name]
        raw = array.tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


if __name__ == "__main__":
    {"read": read, "write": write}[sys.argv[1]](sys.argv[2])
