#!/usr/bin/env python3
"""Writes shapes.json: the input shapes of the IAM operations grantd serves,
trimmed from botocore's iam service-2.json (the authoritative wire model),
so that iamapi validates every parameter with IAM's own constraints.

    python3 internal/api/iamapi/gen_shapes.py > internal/api/iamapi/shapes.json

Member order is kept: IAM reports validation errors in that order.
"""
import gzip, json, os, sys

import botocore

OPS = sys.argv[1:] or open(os.path.join(os.path.dirname(__file__), "operations.txt")).read().split()

path = os.path.join(os.path.dirname(botocore.__file__), "data", "iam", "2010-05-08", "service-2.json.gz")
model = json.load(gzip.open(path))
shapes = model["shapes"]
out_shapes = {}

KEEP = ("type", "min", "max", "pattern", "enum")


def add(name):
    if name in out_shapes:
        return
    s = shapes[name]
    t = {k: s[k] for k in KEEP if k in s}
    out_shapes[name] = t
    if s["type"] == "structure":
        t["members"] = [[m, v["shape"]] for m, v in s["members"].items()]
        t["required"] = s.get("required", [])
        for _, v in s["members"].items():
            add(v["shape"])
    elif s["type"] == "list":
        t["member"] = s["member"]["shape"]
        add(s["member"]["shape"])
    elif s["type"] == "map":
        raise SystemExit("map input shape " + name)


ops = {}
for op in OPS:
    o = model["operations"][op]
    if "input" in o:
        ops[op] = o["input"]["shape"]
        add(o["input"]["shape"])
    else:
        ops[op] = ""
json.dump({"operations": ops, "shapes": out_shapes}, sys.stdout, indent=1, sort_keys=False)
sys.stdout.write("\n")
