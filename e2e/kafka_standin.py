"""A Kafka stand-in: one broker, in memory, on loopback, for the end-to-end harness.

No Kafka broker installs from the registries this project can use (docs/app.md), so the harness
runs this instead. It speaks the Kafka wire protocol through kafka-python's protocol classes
(kafka-python 3.x ``kafka.protocol``, generated from Apache Kafka's own message schemas): the
requests are decoded and the responses encoded by that library, never by hand.

What it does, and only that:

* one broker (node 0) that leads every partition;
* the topics it is given (the program's topic list) and no others: a Metadata, Produce or Fetch
  request naming another topic gets ``UNKNOWN_TOPIC_OR_PARTITION`` and is recorded as refused,
  as a real cluster with ``auto.create.topics.enable=false`` answers;
* Produce appends every record (key, value, headers) to an in-memory log, recorded per topic;
* the consumer group protocol for groups of one member (FindCoordinator, JoinGroup, SyncGroup,
  Heartbeat, LeaveGroup, OffsetFetch, OffsetCommit), ListOffsets and Fetch of what was produced.

What it is NOT: no replication, persistence, transactions, idempotent-producer sequence checks,
quotas, ACLs, SASL/TLS, compaction, retention, or rebalancing of groups with several members (a
second member joining a group takes it over); only non-flexible API versions, which is what
kafkajs 2.x (the app's client) speaks.
"""

from __future__ import annotations

import asyncio
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

from kafka.protocol.api_header import RequestHeader
from kafka.protocol.consumer import (
    FetchRequest, FetchResponse, HeartbeatRequest, HeartbeatResponse, JoinGroupRequest, JoinGroupResponse,
    LeaveGroupRequest, LeaveGroupResponse, ListOffsetsRequest, ListOffsetsResponse, OffsetCommitRequest,
    OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse, SyncGroupRequest, SyncGroupResponse,
)
from kafka.protocol.metadata import (
    ApiVersionsRequest, ApiVersionsResponse, FindCoordinatorRequest, FindCoordinatorResponse, MetadataRequest,
    MetadataResponse,
)
from kafka.protocol.producer import ProduceRequest, ProduceResponse
from kafka.record import MemoryRecords, MemoryRecordsBuilder

# Kafka error codes (org.apache.kafka.common.protocol.Errors)
NONE = 0
OFFSET_OUT_OF_RANGE = 1
UNKNOWN_TOPIC_OR_PARTITION = 3
ILLEGAL_GENERATION = 22
UNKNOWN_MEMBER_ID = 25
REBALANCE_IN_PROGRESS = 27
UNSUPPORTED_VERSION = 35

NODE_ID = 0
CLUSTER_ID = "tartware-e2e-standin"

# request class -> response class, for every API the stand-in answers
APIS = {req.API_KEY: (req, resp) for req, resp in (
    (ApiVersionsRequest, ApiVersionsResponse), (MetadataRequest, MetadataResponse),
    (ProduceRequest, ProduceResponse), (FetchRequest, FetchResponse), (ListOffsetsRequest, ListOffsetsResponse),
    (FindCoordinatorRequest, FindCoordinatorResponse), (JoinGroupRequest, JoinGroupResponse),
    (SyncGroupRequest, SyncGroupResponse), (HeartbeatRequest, HeartbeatResponse),
    (LeaveGroupRequest, LeaveGroupResponse), (OffsetFetchRequest, OffsetFetchResponse),
    (OffsetCommitRequest, OffsetCommitResponse),
)}


def supported_versions(request_class: Any) -> tuple[int, int]:
    """The versions advertised for one API: from the schema's lowest valid version up to the last
    non-flexible one (the stand-in speaks no flexible versions; kafkajs 2.x does not either)."""
    low, high = request_class.json["validVersions"].split("-") if "-" in request_class.json["validVersions"] \
        else (request_class.json["validVersions"].rstrip("+"), None)
    flexible = request_class.json.get("flexibleVersions", "none")
    last_plain = int(flexible.rstrip("+")) - 1 if flexible not in ("none", "") else int(high or low)
    return int(low), min(int(high), last_plain) if high is not None else last_plain


@dataclass
class Record:
    topic: str
    partition: int
    offset: int
    key: Optional[bytes]
    value: Optional[bytes]
    headers: list[tuple[str, bytes]]
    client_id: str


@dataclass
class Group:
    generation: int = 0
    member: Optional[str] = None
    protocol: Optional[str] = None
    assignment: bytes = b""
    offsets: dict[tuple[str, int], int] = field(default_factory=dict)


class KafkaStandIn:
    """The broker. ``start()`` serves on a thread; ``records``/``refused`` are what it saw."""

    def __init__(self, topics: dict[str, int], host: str = "127.0.0.1", port: int = 0):
        self.topics = dict(topics)  # name -> partitions
        self.host, self.port = host, port
        self.records: list[Record] = []
        self.refused: list[tuple[str, str, str]] = []  # (api, topic, client id)
        self.requests: dict[str, int] = {}
        self.groups: dict[str, Group] = {}
        self.joins: list[tuple[str, str]] = []  # (group id, client id) of every JoinGroup: the consumers that ran
        self._log: dict[tuple[str, int], list[Record]] = {}
        self._lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._server: Optional[asyncio.base_events.Server] = None
        self._thread: Optional[threading.Thread] = None
        self._ready = threading.Event()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> "KafkaStandIn":
        self._thread = threading.Thread(target=self._run, name="kafka-standin", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the Kafka stand-in did not start")
        return self

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._server = self._loop.run_until_complete(asyncio.start_server(self._serve, self.host, self.port))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def stop(self) -> None:
        if self._loop is not None and self._server is not None:
            self._loop.call_soon_threadsafe(self._server.close)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)

    # ------------------------------------------------------------------ wire

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                size = struct.unpack(">i", await reader.readexactly(4))[0]
                frame = await reader.readexactly(size)
                response = await self._handle(frame)
                if response is not None:
                    writer.write(struct.pack(">i", len(response)) + response)
                    await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def _handle(self, frame: bytes) -> Optional[bytes]:
        api_key, version, correlation_id = struct.unpack(">hhi", frame[:8])
        if api_key not in APIS:
            raise ConnectionError(f"api key {api_key} is not served by the stand-in")
        request_class, response_class = APIS[api_key]
        low, high = supported_versions(request_class)
        if api_key == ApiVersionsRequest.API_KEY and not low <= version <= high:
            # KIP-511: answer an unsupported ApiVersions version with v0 and UNSUPPORTED_VERSION
            body = self._api_versions(error=UNSUPPORTED_VERSION)
            return self._encode(body, response_class, 0, correlation_id)
        request = request_class.decode(frame, version=version, header=True)
        header: RequestHeader = request.header
        self.requests[request_class.__name__] = self.requests.get(request_class.__name__, 0) + 1
        handler = getattr(self, "_" + request_class.__name__.removesuffix("Request").lower())
        body = handler(request, version, header.client_id or "")
        if asyncio.iscoroutine(body):
            body = await body
        if body is None:  # Produce with acks=0
            return None
        return self._encode(body, response_class, version, correlation_id)

    @staticmethod
    def _encode(body: dict, response_class: Any, version: int, correlation_id: int) -> bytes:
        response = response_class[version](**body)
        response.with_header(correlation_id=correlation_id)
        return response.encode(header=True)

    def _known(self, api: str, topic: str, client: str) -> bool:
        if topic in self.topics:
            return True
        with self._lock:
            self.refused.append((api, topic, client))
        return False

    # ------------------------------------------------------------------ APIs

    def _api_versions(self, error: int = NONE) -> dict:
        keys = [ApiVersionsResponse.ApiVersion(api_key=k, min_version=supported_versions(req)[0],
                                               max_version=supported_versions(req)[1])
                for k, (req, _) in sorted(APIS.items())]
        return {"error_code": error, "api_keys": keys, "throttle_time_ms": 0}

    def _apiversions(self, request: Any, version: int, client: str) -> dict:
        return self._api_versions()

    def _metadata(self, request: Any, version: int, client: str) -> dict:
        wanted = [t.name for t in request.topics] if request.topics is not None else sorted(self.topics)
        topics = []
        for name in wanted:
            if not self._known("Metadata", name, client):
                topics.append(MetadataResponse.MetadataResponseTopic(
                    error_code=UNKNOWN_TOPIC_OR_PARTITION, name=name, is_internal=False, partitions=[]))
                continue
            partitions = [MetadataResponse.MetadataResponseTopic.MetadataResponsePartition(
                error_code=NONE, partition_index=p, leader_id=NODE_ID, leader_epoch=0, replica_nodes=[NODE_ID],
                isr_nodes=[NODE_ID], offline_replicas=[]) for p in range(self.topics[name])]
            topics.append(MetadataResponse.MetadataResponseTopic(
                error_code=NONE, name=name, is_internal=False, partitions=partitions))
        brokers = [MetadataResponse.MetadataResponseBroker(node_id=NODE_ID, host=self.host, port=self.port, rack=None)]
        return {"throttle_time_ms": 0, "brokers": brokers, "cluster_id": CLUSTER_ID, "controller_id": NODE_ID,
                "topics": topics}

    def _produce(self, request: Any, version: int, client: str) -> Optional[dict]:
        responses = []
        for topic in request.topic_data:
            partitions = []
            for part in topic.partition_data:
                if not self._known("Produce", topic.name, client) or part.index >= self.topics[topic.name]:
                    partitions.append({"index": part.index, "error_code": UNKNOWN_TOPIC_OR_PARTITION,
                                       "base_offset": -1})
                    continue
                base = self._append(topic.name, part.index, part.records, client)
                partitions.append({"index": part.index, "error_code": NONE, "base_offset": base})
            responses.append(ProduceResponse.TopicProduceResponse(
                name=topic.name,
                partition_responses=[ProduceResponse.TopicProduceResponse.PartitionProduceResponse(
                    index=p["index"], error_code=p["error_code"], base_offset=p["base_offset"], log_append_time_ms=-1,
                    log_start_offset=0) for p in partitions]))
        if request.acks == 0:
            return None
        return {"responses": responses, "throttle_time_ms": 0}

    def _append(self, topic: str, partition: int, data: Any, client: str) -> int:
        records = MemoryRecords(bytes(data) if data is not None else b"")
        with self._lock:
            log = self._log.setdefault((topic, partition), [])
            base = len(log)
            while records.has_next():
                batch = records.next_batch()
                for r in batch:
                    rec = Record(topic, partition, len(log), r.key, r.value,
                                 [(k, v) for k, v in (r.headers or [])], client)
                    log.append(rec)
                    self.records.append(rec)
        return base

    def _high_watermark(self, topic: str, partition: int) -> int:
        with self._lock:
            return len(self._log.get((topic, partition), []))

    async def _fetch(self, request: Any, version: int, client: str) -> dict:
        deadline = time.monotonic() + min(request.max_wait_ms, 1000) / 1000

        def collect() -> tuple[list, bool]:
            out, any_data = [], False
            for topic in request.topics:
                parts = []
                for p in topic.partitions:
                    if not self._known("Fetch", topic.topic, client):
                        parts.append((p.partition, UNKNOWN_TOPIC_OR_PARTITION, -1, None))
                        continue
                    hw = self._high_watermark(topic.topic, p.partition)
                    if p.fetch_offset > hw:
                        parts.append((p.partition, OFFSET_OUT_OF_RANGE, hw, None))
                        continue
                    with self._lock:
                        pending = list(self._log.get((topic.topic, p.partition), [])[p.fetch_offset:])
                    records = None
                    if pending:
                        any_data = True
                        builder = MemoryRecordsBuilder(magic=2, compression_type=0, batch_size=1 << 30,
                                                       offset=p.fetch_offset)
                        for r in pending:
                            builder.append(int(time.time() * 1000), r.key, r.value, r.headers)
                        builder.close()
                        records = builder.buffer()
                    parts.append((p.partition, NONE, hw, records))
                out.append((topic.topic, parts))
            return out, any_data

        found, any_data = collect()
        while not any_data and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            found, any_data = collect()
        responses = [FetchResponse.FetchableTopicResponse(topic=name, partitions=[
            FetchResponse.FetchableTopicResponse.PartitionData(
                partition_index=index, error_code=error, high_watermark=hw, last_stable_offset=hw,
                log_start_offset=0, aborted_transactions=[], preferred_read_replica=-1, records=records)
            for index, error, hw, records in parts]) for name, parts in found]
        return {"throttle_time_ms": 0, "error_code": NONE, "session_id": 0, "responses": responses}

    def _listoffsets(self, request: Any, version: int, client: str) -> dict:
        topics = []
        for topic in request.topics:
            parts = []
            for p in topic.partitions:
                known = self._known("ListOffsets", topic.name, client)
                offset = 0 if p.timestamp == -2 or not known else self._high_watermark(topic.name, p.partition_index)
                parts.append(ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse(
                    partition_index=p.partition_index, error_code=NONE if known else UNKNOWN_TOPIC_OR_PARTITION,
                    timestamp=-1, offset=offset, leader_epoch=0))
            topics.append(ListOffsetsResponse.ListOffsetsTopicResponse(name=topic.name, partitions=parts))
        return {"throttle_time_ms": 0, "topics": topics}

    def _findcoordinator(self, request: Any, version: int, client: str) -> dict:
        return {"throttle_time_ms": 0, "error_code": NONE, "error_message": None, "node_id": NODE_ID,
                "host": self.host, "port": self.port}

    def _joingroup(self, request: Any, version: int, client: str) -> dict:
        with self._lock:
            group = self.groups.setdefault(request.group_id, Group())
            self.joins.append((request.group_id, client))
            member = request.member_id or f"{client}-{uuid.uuid4()}"
            group.generation += 1
            group.member = member
            protocol = request.protocols[0]
            group.protocol = protocol.name
        return {"throttle_time_ms": 0, "error_code": NONE, "generation_id": group.generation,
                "protocol_name": protocol.name, "leader": member, "member_id": member,
                "members": [JoinGroupResponse.JoinGroupResponseMember(member_id=member, group_instance_id=None,
                                                                      metadata=protocol.metadata)]}

    def _member_error(self, group_id: str, member: str, generation: int) -> int:
        group = self.groups.get(group_id)
        if group is None or group.member != member:
            return UNKNOWN_MEMBER_ID
        return NONE if group.generation == generation else ILLEGAL_GENERATION

    def _syncgroup(self, request: Any, version: int, client: str) -> dict:
        error = self._member_error(request.group_id, request.member_id, request.generation_id)
        assignment = b""
        if error == NONE:
            mine = [a.assignment for a in request.assignments if a.member_id == request.member_id]
            group = self.groups[request.group_id]
            group.assignment = bytes(mine[0]) if mine else group.assignment
            assignment = group.assignment
        return {"throttle_time_ms": 0, "error_code": error, "assignment": assignment}

    def _heartbeat(self, request: Any, version: int, client: str) -> dict:
        return {"throttle_time_ms": 0,
                "error_code": self._member_error(request.group_id, request.member_id, request.generation_id)}

    def _leavegroup(self, request: Any, version: int, client: str) -> dict:
        group = self.groups.get(request.group_id)
        if group is not None and group.member == request.member_id:
            group.member = None
        return {"throttle_time_ms": 0, "error_code": NONE}

    def _offsetfetch(self, request: Any, version: int, client: str) -> dict:
        group = self.groups.get(request.group_id, Group())
        topics = []
        for topic in request.topics or []:
            topics.append(OffsetFetchResponse.OffsetFetchResponseTopic(name=topic.name, partitions=[
                OffsetFetchResponse.OffsetFetchResponseTopic.OffsetFetchResponsePartition(
                    partition_index=p, committed_offset=group.offsets.get((topic.name, p), -1),
                    committed_leader_epoch=-1, metadata="", error_code=NONE)
                for p in topic.partition_indexes]))
        return {"throttle_time_ms": 0, "topics": topics, "error_code": NONE}

    def _offsetcommit(self, request: Any, version: int, client: str) -> dict:
        group = self.groups.setdefault(request.group_id, Group())
        topics = []
        for topic in request.topics:
            for p in topic.partitions:
                group.offsets[(topic.name, p.partition_index)] = p.committed_offset
            topics.append(OffsetCommitResponse.OffsetCommitResponseTopic(name=topic.name, partitions=[
                OffsetCommitResponse.OffsetCommitResponseTopic.OffsetCommitResponsePartition(
                    partition_index=p.partition_index, error_code=NONE) for p in topic.partitions]))
        return {"throttle_time_ms": 0, "topics": topics}
