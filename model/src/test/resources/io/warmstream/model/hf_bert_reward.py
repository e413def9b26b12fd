"""Independent numpy reading of a warmstream model directory with Hugging Face BertForSequenceClassification
semantics (num_labels=1): post-LayerNorm BERT, exact GELU, pooler = tanh(dense(h[:, 0])), reward = logits[:, 0].

usage: hf_bert_reward.py MODEL_DIR INPUTS_JSON   (inputs: {"input_ids": [[...]], "token_type_ids": ..., "attention_mask": ...})
prints a JSON list of rewards.
"""
import json
import math
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        (header_len,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_len))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", (name, info["dtype"])
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(info["shape"]).astype(np.float64)
    return tensors


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def linear(x, t, prefix):
    # torch.nn.Linear: weight is [out, in]
    return x @ t[prefix + ".weight"].T + t[prefix + ".bias"]


_erf = np.vectorize(math.erf)


def gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def rewards(model_dir, inputs):
    cfg = json.load(open(model_dir + "/config.json"))
    assert cfg["model_type"] == "bert" and cfg["num_labels"] == 1
    t = read_safetensors(model_dir + "/model.safetensors")
    eps = cfg.get("layer_norm_eps", 1e-12)
    heads = cfg["num_attention_heads"]
    ids = np.array(inputs["input_ids"])
    types = np.array(inputs["token_type_ids"])
    mask = np.array(inputs["attention_mask"], dtype=np.float64)
    batch, seq = ids.shape
    e = "bert.embeddings."
    x = (t[e + "word_embeddings.weight"][ids] + t[e + "token_type_embeddings.weight"][types]
         + t[e + "position_embeddings.weight"][np.arange(seq)][None, :, :])
    x = layer_norm(x, t[e + "LayerNorm.weight"], t[e + "LayerNorm.bias"], eps)
    hidden = x.shape[-1]
    d = hidden // heads
    bias = (1.0 - mask)[:, None, None, :] * -1e30
    for i in range(cfg["num_hidden_layers"]):
        p = "bert.encoder.layer.%d." % i

        def split(y):
            return y.reshape(batch, seq, heads, d).transpose(0, 2, 1, 3)

        q = split(linear(x, t, p + "attention.self.query"))
        k = split(linear(x, t, p + "attention.self.key"))
        v = split(linear(x, t, p + "attention.self.value"))
        s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + bias
        s = np.exp(s - s.max(-1, keepdims=True))
        s = s / s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(0, 2, 1, 3).reshape(batch, seq, hidden)
        a = layer_norm(linear(ctx, t, p + "attention.output.dense") + x,
                       t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"], eps)
        f = linear(gelu(linear(a, t, p + "intermediate.dense")), t, p + "output.dense")
        x = layer_norm(f + a, t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"], eps)
    pooled = np.tanh(linear(x[:, 0], t, "bert.pooler.dense"))
    logits = linear(pooled, t, "classifier")
    return logits[:, 0].tolist()


if __name__ == "__main__":
    print(json.dumps(rewards(sys.argv[1], json.load(open(sys.argv[2])))))
