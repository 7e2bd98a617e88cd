"""SQLite store: the durable copy of every record and its vector.

The FAISS index is only a cache of this table; a write is acknowledged after its
transaction commits here (WAL, ``synchronous=FULL``), so ``kill -9`` loses nothing that
was acknowledged, and start-up rebuilds the index from the stored vectors without
re-embedding. An FTS5 table mirrors title and summary for the optional BM25 scoring.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

SCHEMA = """
CREATE TABLE IF NOT EXISTS projects (
    num INTEGER PRIMARY KEY,          -- the FAISS id
    id TEXT NOT NULL UNIQUE,          -- the client's opaque id
    library_id TEXT NOT NULL,
    library_name TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    year INTEGER,
    region TEXT,
    phase TEXT,
    url TEXT,
    lineage TEXT,                     -- shared by the copies of one project; NULL: its own
    text_hash TEXT NOT NULL,          -- of the embedded text, to skip re-embedding
    vector BLOB NOT NULL,             -- float32, little-endian
    updated_at REAL NOT NULL
);
-- What editors did after a search (the CMS's outbox delivers it); adapt learns from it.
CREATE TABLE IF NOT EXISTS feedback (
    seq INTEGER PRIMARY KEY,
    event_id TEXT UNIQUE,             -- the client's key: a resent event counts once
    query TEXT NOT NULL,
    project_id TEXT NOT NULL,         -- may since have been deleted; adapt skips those
    signal TEXT NOT NULL,             -- open | partnership | import
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS projects_fts USING fts5(
    title, summary, content='projects', content_rowid='num',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS projects_ai AFTER INSERT ON projects BEGIN
    INSERT INTO projects_fts(rowid, title, summary) VALUES (new.num, new.title, new.summary);
END;
CREATE TRIGGER IF NOT EXISTS projects_ad AFTER DELETE ON projects BEGIN
    INSERT INTO projects_fts(projects_fts, rowid, title, summary)
        VALUES ('delete', old.num, old.title, old.summary);
END;
CREATE TRIGGER IF NOT EXISTS projects_au AFTER UPDATE OF title, summary ON projects BEGIN
    INSERT INTO projects_fts(projects_fts, rowid, title, summary)
        VALUES ('delete', old.num, old.title, old.summary);
    INSERT INTO projects_fts(rowid, title, summary) VALUES (new.num, new.title, new.summary);
END;
"""


@dataclass(slots=True)
class ProjectRecord:
    """One project as the client sent it."""

    id: str
    library_id: str
    library_name: str
    title: str
    summary: str = ""
    year: int | None = None
    region: str | None = None
    phase: str | None = None
    url: str | None = None

    lineage: str | None = None

    def embed_text(self) -> str:
        return embed_text(self.title, self.summary)

    def text_hash(self) -> str:
        return text_hash(self.embed_text())


# Stored with the model's fingerprint: a change re-embeds every record at start-up.
TEXT_FORMAT = "title. summary"


def embed_text(title: str, summary: str) -> str:
    """What the model embeds: "Title. Summary".

    A newline between them reads as a space to the tokenizer, so the title ran into the
    summary's first sentence; ending it with a full stop measured +0.02 nDCG@10
    (bench/matcher.py, "text fix").
    """
    title, summary = title.strip(), summary.strip()
    if not summary:
        return title
    if title and title[-1] not in ".!?:;":
        title += "."
    return f"{title} {summary}".strip()


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


RECORD_FIELDS = tuple(f.name for f in fields(ProjectRecord))


@dataclass(slots=True)
class StoredRow:
    num: int
    record: ProjectRecord


class ProjectStore:
    """Records and vectors in ``<data_dir>/matcher.sqlite3``.

    One write connection behind a lock; each reading thread gets its own connection,
    which WAL lets run beside the writer.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._writer = self._connect()
        self._writer.executescript(SCHEMA)
        self._add_missing_columns()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=30
        )
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: the commit is on disk before the client hears "ok".
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def _add_missing_columns(self) -> None:
        """A store written before a column existed gets it (NULL for old rows)."""
        have = {row[1] for row in self._writer.execute("PRAGMA table_info(projects)")}
        if "lineage" not in have:
            self._writer.execute("ALTER TABLE projects ADD COLUMN lineage TEXT")
        self._writer.execute(
            "CREATE INDEX IF NOT EXISTS projects_lineage ON projects(lineage) "
            "WHERE lineage IS NOT NULL"
        )

    @property
    def _reader(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def close(self) -> None:
        self._writer.close()
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()

    # --- meta -----------------------------------------------------------------
    def get_meta(self, key: str) -> object | None:
        row = self._reader.execute(
            "SELECT value FROM meta WHERE key = ?", (key,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def set_meta(self, key: str, value: object) -> None:
        with self._write_lock:
            self._writer.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    # --- writes ---------------------------------------------------------------
    @property
    def write_lock(self) -> threading.RLock:
        """Held by the engine across "commit here, then update FAISS" so both agree."""
        return self._write_lock

    def upsert_many(
        self, records: Sequence[ProjectRecord], vectors: np.ndarray
    ) -> list[int]:
        """Insert or replace records with their vectors in one transaction.

        :returns: the FAISS id (``num``) of each record, in order; an existing id keeps
            its num.
        """
        now = time.time()
        nums: list[int] = []
        with self._write_lock:
            cur = self._writer.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                for rec, vec in zip(records, vectors, strict=True):
                    row = cur.execute(
                        """
                        INSERT INTO projects (id, library_id, library_name, title, summary,
                            year, region, phase, url, lineage, text_hash, vector,
                            updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET
                            library_id = excluded.library_id,
                            library_name = excluded.library_name,
                            title = excluded.title, summary = excluded.summary,
                            year = excluded.year, region = excluded.region,
                            phase = excluded.phase, url = excluded.url,
                            lineage = excluded.lineage, text_hash = excluded.text_hash, vector = excluded.vector,
                            updated_at = excluded.updated_at
                        RETURNING num
                        """,
                        (
                            rec.id,
                            rec.library_id,
                            rec.library_name,
                            rec.title,
                            rec.summary,
                            rec.year,
                            rec.region,
                            rec.phase,
                            rec.url,
                            rec.lineage,
                            rec.text_hash(),
                            np.asarray(vec, "<f4").tobytes(),
                            now,
                        ),
                    ).fetchone()
                    nums.append(int(row[0]))
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
        return nums

    def add_feedback(
        self, query: str, project_id: str, signal: str, event_id: str | None
    ) -> bool:
        """Store one feedback event. :returns: ``False`` if ``event_id`` was stored before."""
        with self._write_lock:
            cur = self._writer.execute(
                "INSERT INTO feedback (event_id, query, project_id, signal, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(event_id) DO NOTHING",
                (event_id, query, project_id, signal, time.time()),
            )
        return cur.rowcount == 1

    def feedback_counts(self) -> dict[str, int]:
        return {
            signal: int(n)
            for signal, n in self._reader.execute(
                "SELECT signal, count(*) FROM feedback GROUP BY signal"
            )
        }

    def feedback_pairs(self, signals: Sequence[str]) -> list[tuple[str, str]]:
        """``(query, project id)`` of the given signals, oldest first, once each."""
        marks = ",".join("?" * len(signals))
        return [
            (q, pid)
            for q, pid in self._reader.execute(
                f"SELECT query, project_id FROM feedback WHERE signal IN ({marks}) "  # noqa: S608
                "GROUP BY query, project_id ORDER BY min(seq)",
                list(signals),
            )
        ]

    def iter_records(self, batch: int = 2000) -> Iterator[ProjectRecord]:
        """Every record, in num order (for ``adapt``)."""
        cols = ", ".join(RECORD_FIELDS)
        last = -1
        while True:
            rows = self._reader.execute(
                f"SELECT num, {cols} FROM projects WHERE num > ? ORDER BY num LIMIT ?",  # noqa: S608
                (last, batch),
            ).fetchall()
            if not rows:
                return
            for r in rows:
                yield ProjectRecord(*r[1:])
            last = int(rows[-1][0])

    def delete(self, project_id: str) -> int | None:
        """Delete one record. :returns: its num, or ``None`` if it was not there."""
        with self._write_lock:
            row = self._writer.execute(
                "DELETE FROM projects WHERE id = ? RETURNING num", (project_id,)
            ).fetchone()
        return int(row[0]) if row else None

    def replace_vectors(
        self, nums: Sequence[int], vectors: np.ndarray, texts: Sequence[str]
    ) -> None:
        """Store new vectors of ``texts`` (after a model change) in one transaction."""
        with self._write_lock:
            cur = self._writer.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                cur.executemany(
                    "UPDATE projects SET vector = ?, text_hash = ? WHERE num = ?",
                    [
                        (np.asarray(v, "<f4").tobytes(), text_hash(t), int(n))
                        for n, v, t in zip(nums, vectors, texts, strict=True)
                    ],
                )
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    # --- reads ----------------------------------------------------------------
    def count(self) -> int:
        return int(self._reader.execute("SELECT count(*) FROM projects").fetchone()[0])

    def text_hashes(self, ids: Iterable[str]) -> dict[str, tuple[str, bytes]]:
        """Existing ``id -> (text_hash, vector bytes)`` for the given ids."""
        ids = list(ids)
        out: dict[str, tuple[str, bytes]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for pid, h, vec in self._reader.execute(
                f"SELECT id, text_hash, vector FROM projects WHERE id IN ({marks})",  # noqa: S608
                chunk,
            ):
                out[pid] = (h, vec)
        return out

    def get(self, project_id: str) -> ProjectRecord | None:
        cols = ", ".join(RECORD_FIELDS)
        row = self._reader.execute(
            f"SELECT {cols} FROM projects WHERE id = ?",  # noqa: S608 - fixed columns
            (project_id,),
        ).fetchone()
        return ProjectRecord(*row) if row else None

    def get_by_nums(self, nums: Sequence[int]) -> dict[int, ProjectRecord]:
        if not nums:
            return {}
        cols = ", ".join(RECORD_FIELDS)
        marks = ",".join("?" * len(nums))
        rows = self._reader.execute(
            f"SELECT num, {cols} FROM projects WHERE num IN ({marks})",  # noqa: S608
            [int(n) for n in nums],
        )
        return {int(r[0]): ProjectRecord(*r[1:]) for r in rows}

    def lineage_members(
        self, lineages: Sequence[str]
    ) -> dict[str, list[tuple[str, int | None, str, str | None]]]:
        """``lineage -> [(id, year, library_id, region)]`` of every member, by year."""
        out: dict[str, list[tuple[str, int | None, str, str | None]]] = {}
        if not lineages:
            return out
        marks = ",".join("?" * len(lineages))
        for lineage, pid, year, library_id, region in self._reader.execute(
            f"SELECT lineage, id, year, library_id, region FROM projects "  # noqa: S608
            f"WHERE lineage IN ({marks}) ORDER BY year, id",
            list(lineages),
        ):
            out.setdefault(lineage, []).append((pid, year, library_id, region))
        return out

    def ids(self, after: str | None, limit: int) -> list[str]:
        """Ids in ascending order, after ``after`` (keyset pagination)."""
        if after is None:
            rows = self._reader.execute(
                "SELECT id FROM projects ORDER BY id LIMIT ?", (limit,)
            )
        else:
            rows = self._reader.execute(
                "SELECT id FROM projects WHERE id > ? ORDER BY id LIMIT ?",
                (after, limit),
            )
        return [r[0] for r in rows]

    def iter_index_rows(
        self, batch: int = 20_000
    ) -> Iterator[
        tuple[np.ndarray, np.ndarray, list[tuple[str, int | None, str | None]]]
    ]:
        """Everything FAISS and the filters need, in batches: nums, vectors, (library, year, region)."""
        last = -1
        while True:
            rows = self._reader.execute(
                "SELECT num, vector, library_id, year, region FROM projects "
                "WHERE num > ? ORDER BY num LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            nums = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype="<f4").reshape(
                len(rows), -1
            )
            yield nums, vectors, [(r[2], r[3], r[4]) for r in rows]
            last = int(nums[-1])

    def iter_texts(self, batch: int = 512) -> Iterator[tuple[list[int], list[str]]]:
        """``(nums, embed texts)`` in batches, for re-embedding after a model change."""
        last = -1
        while True:
            rows = self._reader.execute(
                "SELECT num, title, summary FROM projects WHERE num > ? ORDER BY num LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            yield [r[0] for r in rows], [embed_text(r[1], r[2]) for r in rows]
            last = rows[-1][0]

    def bm25(
        self, match: str, nums: Sequence[int] | None, limit: int
    ) -> dict[int, float]:
        """FTS5 BM25 scores (higher is better) for an FTS5 ``match`` expression."""
        sql = "SELECT rowid, -bm25(projects_fts) FROM projects_fts WHERE projects_fts MATCH ?"
        params: list[object] = [match]
        if nums is not None:
            if not nums:
                return {}
            sql += f" AND rowid IN ({','.join('?' * len(nums))})"
            params.extend(int(n) for n in nums)
        sql += " ORDER BY bm25(projects_fts) LIMIT ?"
        params.append(limit)
        try:
            return {int(r): float(s) for r, s in self._reader.execute(sql, params)}
        except sqlite3.OperationalError:
            return {}  # a query FTS5 cannot parse scores nothing lexically

    def stats(self) -> dict[str, object]:
        libraries = self._reader.execute(
            "SELECT count(DISTINCT library_id) FROM projects"
        ).fetchone()[0]
        return {
            "records": self.count(),
            "libraries": int(libraries),
            "feedback": self.feedback_counts(),
            "db_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }
