"""Facts by confidence in schemas/*.schema.json: python3 tools/confidence_counts.py [GIT-REV]."""
import json, sys, subprocess, collections, pathlib
def walk(v, out):
    if isinstance(v, dict):
        if "confidence" in v and "source" in v: out[v["confidence"]] += 1
        for k, x in v.items():
            if k not in ("properties", "$defs"): walk(x, out)
    elif isinstance(v, list):
        for x in v: walk(x, out)
def count(files):
    out = collections.Counter()
    for text in files: walk(json.loads(text), out)
    return out
rev = sys.argv[1] if len(sys.argv) > 1 else None
if rev:
    names = subprocess.run(["git","ls-tree","--name-only",rev,"schemas/"],capture_output=True,text=True).stdout.split()
    files = [subprocess.run(["git","show",f"{rev}:{n}"],capture_output=True,text=True).stdout for n in names if n.endswith(".schema.json")]
else:
    files = [p.read_text() for p in pathlib.Path("schemas").glob("*.schema.json")]
c = count(files); n = sum(c.values())
print(dict(c), n, f"{c['verified']/n:.0%} verified")
