"""What account-takeover resistance costs: the unlock's Argon2id work (the hash check, then the key that
opens the locked data key), and wrapping a data key with the master key in memory versus in a real
PKCS#11 token (SoftHSM2, when installed). Prints figures; run `python bench/stepup.py`.

Process CPU time is what the work costs the machine; wall time beside it. Both Argon2id calls run off the
event loop in the bot, so they delay the one user who unlocks, not the others."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher

from bot.keywrap import KeyWrapper, LocalKeyWrapper, Pkcs11KeyWrapper
from bot.vault import passphrase_key

MODULES = [Path("/usr/lib/softhsm/libsofthsm2.so"), Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")]


def _timed(call: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Median (process CPU ms, wall ms) of `rounds` calls: Argon2id with p=4 runs lanes on threads of its
    own, so the calling thread's time would miss most of it."""
    cpu, wall = [], []
    for _ in range(rounds):
        c0, w0 = time.process_time(), time.perf_counter()
        call()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return statistics.median(cpu), statistics.median(wall)


async def _wrap_cost(wrapper: KeyWrapper, rounds: int) -> float:
    """Median wall µs of one wrap + unwrap of a 32-byte data key, as the vault does it."""
    samples = []
    key, aad = secrets.token_bytes(32), b"data-key|1"
    for _ in range(rounds):
        t0 = time.perf_counter()
        await wrapper.unwrap(await wrapper.wrap(key, aad), aad)
        samples.append((time.perf_counter() - t0) * 1e6)
    return statistics.median(samples)


def _softhsm_token(folder: Path) -> Path | None:
    module = next((m for m in MODULES if m.exists()), None)
    if module is None or shutil.which("softhsm2-util") is None:
        return None
    (folder / "tokens").mkdir()
    (folder / "softhsm2.conf").write_text(f"directories.tokendir = {folder / 'tokens'}\n")
    os.environ["SOFTHSM2_CONF"] = str(folder / "softhsm2.conf")
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "bench", "--pin", "1234",
                    "--so-pin", "5678"], check=True, capture_output=True)
    return module


async def main() -> None:
    hasher = PasswordHasher()
    hashed = hasher.hash("correct horse battery staple")
    cpu, wall = _timed(lambda: hasher.verify(hashed, "correct horse battery staple"), 10)
    print(f"Argon2id check of the passphrase (RFC 9106 low-memory: t=3, 64 MiB, p=4): {cpu:.1f} ms CPU, "
          f"{wall:.1f} ms wall")
    salt = secrets.token_bytes(16)
    kcpu, kwall = _timed(lambda: passphrase_key("correct horse battery staple", salt), 10)
    print(f"Argon2id key for the locked data key (same profile):          {kcpu:.1f} ms CPU, {kwall:.1f} ms wall")
    print(f"An unlock with keys locked by the passphrase: about {wall + kwall:.0f} ms wall (both, off the loop)")

    rounds = 2000
    local = await _wrap_cost(LocalKeyWrapper(secrets.token_bytes(32)), rounds)
    print(f"\nWrap + unwrap of a data key, master key in memory: {local:.1f} µs")
    with tempfile.TemporaryDirectory() as folder:
        module = _softhsm_token(Path(folder))
        if module is None:
            print("SoftHSM2 is not installed (apt install softhsm2): no HSM figure")
            return
        hsm = Pkcs11KeyWrapper(module, "bench", "1234", "bench-master", create="new")
        try:
            inside = await _wrap_cost(hsm, rounds)
        finally:
            hsm.close()
    print(f"Wrap + unwrap of a data key inside SoftHSM2 (own thread):  {inside:.1f} µs  "
          f"(ratio {inside / local:.1f}×; the vault caches unwrapped data keys, so this is paid at start-up "
          "and once per new user)")


if __name__ == "__main__":
    asyncio.run(main())
