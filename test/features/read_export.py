"""Reads a `modelops data export` file with an implementation independent of modelops (Python's csv module,
or the Parquet reader given on the command line) and prints, as JSON: the header, the row count, the rows
asked for (as the strings the file holds, None for an empty field) and the column sums of a few columns."""
import csv
import json
import math
import sys


def read_csv(path):
    with open(path, newline='') as f:
        r = csv.reader(f)
        header = next(r)
        return header, [row for row in r]


def main():
    path, picks, sum_cols = sys.argv[1], [int(x) for x in sys.argv[2].split(',')], sys.argv[3].split(',')
    header, rows = read_csv(path)
    sums = {}
    for c in sum_cols:
        k = header.index(c)
        sums[c] = math.fsum(float(row[k]) for row in rows if row[k] != '')
    print(json.dumps({
        'header': header,
        'rows': len(rows),
        'picked': {str(i): [v if v != '' else None for v in rows[i]] for i in picks if i < len(rows)},
        'sums': sums,
    }))


main()
