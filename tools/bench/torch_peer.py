"""PyTorch CPU peer of the fast engine's bigger-model benchmark (optional; run by `deno task bench --torch-python PY`).

The same GPT as lib/ (wte + wpe, rmsnorm before the blocks, per block: rmsnorm -> causal multi-head attention
-> residual, rmsnorm -> fc1 -> relu -> fc2 -> residual, lm_head; no biases, rmsnorm without weights), the same
batch (8 documents per step, each cut to block_size predicted positions; loss = mean over documents of each
document's mean cross-entropy) and Adam (beta1 0.85, beta2 0.99, eps 1e-8, lr 0.01 decaying linearly to 0).
PyTorch runs the whole padded batch at once with a causal mask, as one would write it in PyTorch; the weights
come from torch's own generator, so the losses are not those of our engines (only the work is the same).

Prints one JSON line: {"steps", "seconds", "tokens", "torch", "threads", "dtype"}. Needs torch (CPU build):
see tools/bench/README.md; never installed by the project's own set-up.
"""
import argparse
import json
import random
import time
import warnings

warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
import torch  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--n-embd", type=int, default=64)
    ap.add_argument("--n-head", type=int, default=4)
    ap.add_argument("--n-layer", type=int, default=4)
    ap.add_argument("--block-size", type=int, default=32)
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    a = ap.parse_args()
    dtype = getattr(torch, a.dtype)
    torch.manual_seed(42)
    rng = random.Random(42)
    docs = [line.strip() for line in open(a.data, encoding="utf-8") if line.strip()]
    rng.shuffle(docs)
    chars = sorted(set("".join(docs)))
    bos = len(chars)
    vocab = bos + 1
    index = {c: i for i, c in enumerate(chars)}
    E, H, L, T = a.n_embd, a.n_head, a.n_layer, a.block_size
    hd = E // H

    def mat(rows, cols):
        return (torch.randn(rows, cols, dtype=dtype) * 0.08).requires_grad_()

    params = {"wte": mat(vocab, E), "wpe": mat(T, E), "lm_head": mat(vocab, E)}
    for i in range(L):
        for name, shape in [("attn_wq", (E, E)), ("attn_wk", (E, E)), ("attn_wv", (E, E)), ("attn_wo", (E, E)),
                            ("mlp_fc1", (4 * E, E)), ("mlp_fc2", (E, 4 * E))]:
            params[f"layer{i}.{name}"] = mat(*shape)
    opt = torch.optim.Adam(params.values(), lr=0.01, betas=(0.85, 0.99), eps=1e-8)

    def rmsnorm(x):
        return x * (x.pow(2).mean(-1, keepdim=True) + 1e-5).pow(-0.5)

    def loss_of(batch_docs):
        seqs = [[bos] + [index[c] for c in d] + [bos] for d in batch_docs]
        ns = [min(T, len(s) - 1) for s in seqs]
        n = max(ns)
        inp = torch.full((len(seqs), n), bos, dtype=torch.long)
        tgt = torch.full((len(seqs), n), bos, dtype=torch.long)
        mask = torch.zeros(len(seqs), n, dtype=dtype)
        for b, (s, k) in enumerate(zip(seqs, ns)):
            inp[b, :k] = torch.tensor(s[:k])
            tgt[b, :k] = torch.tensor(s[1:k + 1])
            mask[b, :k] = 1.0 / k
        x = rmsnorm(params["wte"][inp] + params["wpe"][:n])
        causal = torch.ones(n, n, dtype=torch.bool).tril()
        for i in range(L):
            p = lambda name: params[f"layer{i}.{name}"]  # noqa: E731
            h = rmsnorm(x)
            q, k, v = (
                (h @ p(w).T).view(len(seqs), n, H, hd).transpose(1, 2) for w in ("attn_wq", "attn_wk", "attn_wv")
            )
            att = (q @ k.transpose(-1, -2)) * hd ** -0.5
            att = att.masked_fill(~causal, float("-inf")).softmax(-1)
            x = x + ((att @ v).transpose(1, 2).reshape(len(seqs), n, E) @ p("attn_wo").T)
            x = x + (torch.relu(rmsnorm(x) @ p("mlp_fc1").T) @ p("mlp_fc2").T)
        logits = x @ params["lm_head"].T
        nll = torch.nn.functional.cross_entropy(logits.reshape(-1, vocab), tgt.reshape(-1), reduction="none")
        return (nll * mask.reshape(-1)).sum() / len(seqs), sum(ns)

    tokens = 0
    start = time.perf_counter()
    for s in range(a.steps):
        batch_docs = [docs[(s * a.batch + b) % len(docs)] for b in range(a.batch)]
        loss, k = loss_of(batch_docs)
        tokens += k
        opt.zero_grad(set_to_none=False)
        loss.backward()
        for g in opt.param_groups:
            g["lr"] = 0.01 * (1 - s / a.steps)
        opt.step()
    seconds = time.perf_counter() - start
    print(json.dumps({"steps": a.steps, "seconds": seconds, "tokens": tokens, "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "dtype": a.dtype, "last_loss": loss.item()}))


if __name__ == "__main__":
    main()
