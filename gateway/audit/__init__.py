"""The tamper-evident audit log: per-request events, hash chain, Merkle checkpoints and DPO tools."""
