"""Generate a key-dependent p-table (sdcTools `ptable` method, see gateway/privacy/ptable_design.py).

    .venv/bin/python policies/data/ptables/generate.py            # writes ckm-t10-d10-v3-r1.csv and index.json
    .venv/bin/python policies/data/ptables/generate.py --check    # regenerates and compares, writes nothing

The CSV is in ONS's `cell-key-perturbation` layout (pcv, ckey, pvalue; pcv 1..750, ckey 0..255); index.json
records the parameters, each designed row's distribution and the CSV's SHA-256, which the gateway checks
before it uses the table. A named table never changes: a new design gets a new name (r2, ...), so the
profiles that name it change, and with them the policy bundle's revision. (index.json is not named
data.json, so it is not policy data: the decision carries only the table's name.)
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from gateway.privacy.ptable_design import PTableParameters, design_rows, key_layout, row_moments  # noqa: E402

# The one p-table the profiles use. Threshold 10: counts 1..9 are never published (js = 9); D = 10 is the
# least maximum noise for which every row is exactly unbiased on 256 whole keys (D = 9 leaves count 1 with a
# bias of 4/256); V = 3 gives counts of 20 and more a noise of -5..+5 on the key grid (standard deviation 1.7).
NAME = "ckm-t10-d10-v3-r1"
PARAMETERS = PTableParameters(max_noise=10, variance=3.0, blocked=9, rows=750, slack=1.0, seed=20260112)


def build() -> tuple[str, dict[str, object]]:
    rows = design_rows(PARAMETERS)
    noise = key_layout(rows, PARAMETERS.seed)
    out = io.StringIO()
    out.write("pcv,ckey,pvalue\n")
    for pcv in range(1, PARAMETERS.rows + 1):
        for ckey in range(256):
            out.write(f"{pcv},{ckey},{int(noise[pcv, ckey])}\n")
    text = out.getvalue()
    designed = []
    for row in rows[: PARAMETERS.max_noise + PARAMETERS.blocked + 1]:
        mean, variance = row_moments(noise[row.count])
        designed.append(
            {
                "count": row.count,
                "noise_keys": {str(v): k for v, k in zip(row.noise, row.keys, strict=True) if k},
                "design_variance": round(row.variance, 6),
                "key_mean": mean,
                "key_variance": round(variance, 6),
            }
        )
    entry: dict[str, object] = {
        "file": f"{NAME}.csv",
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "threshold": PARAMETERS.blocked + 1,
        "method": "sdcTools ptable maximum entropy (optim 1), quantised to 256 cell keys, seeded key order",
        "parameters": {
            "D": PARAMETERS.max_noise,
            "V": PARAMETERS.variance,
            "js": PARAMETERS.blocked,
            "slack": PARAMETERS.slack,
            "seed": PARAMETERS.seed,
            "rows": PARAMETERS.rows,
        },
        "rows": designed,
        "symmetry_from": PARAMETERS.max_noise + PARAMETERS.blocked + 1,
    }
    return text, entry


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="compare with the files on disk; write nothing")
    args = parser.parse_args()
    text, entry = build()
    data_path = HERE / "index.json"
    csv_path = HERE / f"{NAME}.csv"
    document = json.loads(data_path.read_text()) if data_path.exists() else {}
    if args.check:
        same = csv_path.exists() and csv_path.read_text() == text and document.get(NAME) == entry
        print(f"{NAME}: {'matches' if same else 'DIFFERS from'} the generated table")
        return 0 if same else 1
    csv_path.write_text(text)
    document[NAME] = entry
    data_path.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {csv_path.name} ({entry['sha256']}) and index.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
