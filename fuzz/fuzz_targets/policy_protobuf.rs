//! Binary protobuf `SyncResponse` → compile → evaluate. Must never panic.
#![no_main]

use edge_policy::parse::parse_sync_response_protobuf;
use edge_policy::PolicySnapshot;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(response) = parse_sync_response_protobuf(data) else {
        return;
    };
    let snapshot = PolicySnapshot::from_policies(response.policies);
    edge_fuzz::evaluate_samples(&snapshot);
});
