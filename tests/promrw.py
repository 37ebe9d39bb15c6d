"""Prometheus remote write from Python, the way k6's output sends it, for the coordinator's test.

The wire format: a snappy-compressed (block format, not framed) protobuf ``prometheus.WriteRequest``
POSTed with ``Content-Encoding: snappy``, ``Content-Type: application/x-protobuf`` and
``X-Prometheus-Remote-Write-Version: 0.1.0`` (prometheus.io/docs/concepts/remote_write_spec). The
messages are declared here from their field numbers in prometheus/prometheus@v2.42.0
prompb/types.proto and remote.proto (WriteRequest.timeseries 1; TimeSeries labels 1, samples 2,
histograms 4; Label name 1, value 2; Sample value 1, timestamp 2; Histogram count_int 1, sum 3,
schema 4 (sint32), zero_threshold 5, zero_count_int 6, positive_spans 11, positive_deltas 12
(sint64), timestamp 15; BucketSpan offset 1 (sint32), length 2), so no generated code is vendored.
The real Prometheus that ingests them is the check that the numbers are right.

Native histograms as k6 writes trends (grafana/k6@v1.7.1 internal/output/prometheusrw/remotewrite
trend.go: client_golang NativeHistogramBucketFactor 1.1 -> schema 3, buckets (2^((i-1)/8), 2^(i/8)],
cumulative since the generator started, no bucket limit).
"""

from __future__ import annotations

import math
import urllib.request
from typing import Iterable, Sequence

import cramjam
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

SCHEMA = 3  # k6: bucket factor 1.1 -> the largest schema whose factor 2^(2^-s) <= 1.1
ZERO_THRESHOLD = 2.938735877055719e-39  # client_golang DefNativeHistogramZeroThreshold (2^-128)

_F = descriptor_pb2.FieldDescriptorProto


def _messages():
    fd = descriptor_pb2.FileDescriptorProto(name="tartware_promrw.proto", package="prometheus", syntax="proto3")

    def message(name: str, fields: Sequence[tuple[str, int, int, int, str]]) -> None:
        m = fd.message_type.add(name=name)
        for fname, number, ftype, label, type_name in fields:
            f = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = type_name

    opt, rep = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED
    message("Label", [("name", 1, _F.TYPE_STRING, opt, ""), ("value", 2, _F.TYPE_STRING, opt, "")])
    message("Sample", [("value", 1, _F.TYPE_DOUBLE, opt, ""), ("timestamp", 2, _F.TYPE_INT64, opt, "")])
    message("BucketSpan", [("offset", 1, _F.TYPE_SINT32, opt, ""), ("length", 2, _F.TYPE_UINT32, opt, "")])
    message("Histogram", [
        ("count_int", 1, _F.TYPE_UINT64, opt, ""), ("sum", 3, _F.TYPE_DOUBLE, opt, ""),
        ("schema", 4, _F.TYPE_SINT32, opt, ""), ("zero_threshold", 5, _F.TYPE_DOUBLE, opt, ""),
        ("zero_count_int", 6, _F.TYPE_UINT64, opt, ""),
        ("positive_spans", 11, _F.TYPE_MESSAGE, rep, ".prometheus.BucketSpan"),
        ("positive_deltas", 12, _F.TYPE_SINT64, rep, ""), ("timestamp", 15, _F.TYPE_INT64, opt, ""),
    ])
    message("TimeSeries", [("labels", 1, _F.TYPE_MESSAGE, rep, ".prometheus.Label"),
                           ("samples", 2, _F.TYPE_MESSAGE, rep, ".prometheus.Sample"),
                           ("histograms", 4, _F.TYPE_MESSAGE, rep, ".prometheus.Histogram")])
    message("WriteRequest", [("timeseries", 1, _F.TYPE_MESSAGE, rep, ".prometheus.TimeSeries")])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"prometheus.{name}"))
            for name in ("WriteRequest", "TimeSeries", "Histogram")}


_M = _messages()


def bucket_index(value: float, schema: int = SCHEMA) -> int:
    """The native-histogram bucket of a positive value: (2^((i-1)/2^s), 2^(i/2^s)], upper bound inclusive."""
    i = math.ceil(math.log2(value) * 2**schema)
    while 2 ** ((i - 1) / 2**schema) >= value:  # float rounding at an exact boundary
        i -= 1
    while 2 ** (i / 2**schema) < value:
        i += 1
    return i


class NativeHistogram:
    """Observations folded into schema-3 buckets, as client_golang does."""

    def __init__(self) -> None:
        self.buckets: dict[int, int] = {}
        self.count = 0
        self.sum = 0.0

    def observe(self, value: float) -> None:
        self.count += 1
        self.sum += value
        idx = bucket_index(value)
        self.buckets[idx] = self.buckets.get(idx, 0) + 1

    def proto(self, timestamp_ms: int):
        h = _M["Histogram"](count_int=self.count, sum=self.sum, schema=SCHEMA, zero_threshold=ZERO_THRESHOLD,
                            zero_count_int=0, timestamp=timestamp_ms)
        previous_index, previous_count = None, 0
        for idx in sorted(self.buckets):
            if previous_index is None or idx != previous_index + 1:  # a new span
                offset = idx if previous_index is None else idx - previous_index - 1
                h.positive_spans.add(offset=offset, length=0)
            h.positive_spans[-1].length += 1
            h.positive_deltas.append(self.buckets[idx] - previous_count)
            previous_index, previous_count = idx, self.buckets[idx]
        return h


def series(labels: dict[str, str], value: float | None = None, histogram: NativeHistogram | None = None,
           timestamp_ms: int = 0):
    ts = _M["TimeSeries"]()
    for name in sorted(labels):  # the spec: labels sorted by name
        ts.labels.add(name=name, value=labels[name])
    if histogram is not None:
        ts.histograms.append(histogram.proto(timestamp_ms))
    else:
        ts.samples.add(value=value, timestamp=timestamp_ms)
    return ts


def write(url: str, timeseries: Iterable) -> tuple[int, str]:
    """POST one WriteRequest; (HTTP status, body). A 400 (out of order, duplicate) is returned, not raised."""
    req = _M["WriteRequest"]()
    req.timeseries.extend(timeseries)
    body = bytes(cramjam.snappy.compress_raw(req.SerializeToString()))
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
        "X-Prometheus-Remote-Write-Version": "0.1.0", "User-Agent": "tartware-tests"})
    try:
        with urllib.request.urlopen(request, timeout=10) as res:
            return res.status, res.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()
