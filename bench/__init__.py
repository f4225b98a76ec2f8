"""Benchmarks of newsqa: ingest throughput, retrieval and answer latency, cold start, memory."""
