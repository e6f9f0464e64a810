"""Compares two regionsim results files: every group, dataset (dtype, shape, bytes) and attribute
must be equal, except the ones listed in IGNORED, which legitimately differ between two runs of
the same experiment (when and how it ran, not what it computed).

    /usr/bin/python3 tests/mpi/compare_h5.py A.h5 B.h5

Exits 1 and lists the differences when the files differ.
"""
import sys

import h5py
import numpy as np

# Root attributes that record the run itself: clock times, the command line (mpirun's differs in
# -o and --threads), the thread count per process.
IGNORED_ROOT_ATTRIBUTES = {"started_at", "ended_at", "wall_seconds", "command_line", "threads"}
# Datasets whose values are timings: seconds each run took.
IGNORED_DATASET_VALUES = {"/wall_seconds"}


def attribute_value(file, value):
    """Object references (netCDF's DIMENSION_LIST, REFERENCE_LIST) compared by what they name."""
    if isinstance(value, h5py.Reference):
        return file[value].name if value else None
    if isinstance(value, np.ndarray) and value.dtype.kind == "O":
        return [attribute_value(file, v) for v in value.ravel().tolist()]
    if isinstance(value, np.ndarray) and value.dtype.names:
        return [tuple(attribute_value(file, x) for x in row) for row in value.tolist()]
    if isinstance(value, tuple):
        return tuple(attribute_value(file, v) for v in value)
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.shape, value.tobytes())
    return value


def attributes(file, obj, ignored=()):
    return {name: attribute_value(file, obj.attrs[name]) for name in obj.attrs if name not in ignored}


def objects(file):
    found = {}

    def visit(name, obj):
        found["/" + name] = obj  # returns None: a value would stop the visit

    file.visititems(visit)
    return found


def compare(path_a, path_b):
    differences = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        if attributes(a, a, IGNORED_ROOT_ATTRIBUTES) != attributes(b, b, IGNORED_ROOT_ATTRIBUTES):
            differences.append("root attributes differ")
        objs_a, objs_b = objects(a), objects(b)
        if sorted(objs_a) != sorted(objs_b):
            differences.append(f"objects differ: {sorted(set(objs_a) ^ set(objs_b))}")
        for name in sorted(set(objs_a) & set(objs_b)):
            x, y = objs_a[name], objs_b[name]
            if type(x) is not type(y):
                differences.append(f"{name}: a {type(x).__name__} and a {type(y).__name__}")
                continue
            if attributes(a, x) != attributes(b, y):
                differences.append(f"{name}: attributes differ")
            if isinstance(x, h5py.Dataset):
                if x.dtype != y.dtype or x.shape != y.shape:
                    differences.append(f"{name}: {x.dtype}{x.shape} against {y.dtype}{y.shape}")
                elif name not in IGNORED_DATASET_VALUES and x[()].tobytes() != y[()].tobytes():
                    differences.append(f"{name}: values differ")
        checked = len(objs_a)
    return differences, checked


if __name__ == "__main__":
    diffs, count = compare(sys.argv[1], sys.argv[2])
    for d in diffs:
        print(d)
    if diffs:
        sys.exit(1)
    print(f"identical: {count} objects, every dataset and attribute but "
          f"{sorted(IGNORED_ROOT_ATTRIBUTES)} (root) and the values of "
          f"{sorted(IGNORED_DATASET_VALUES)}")
