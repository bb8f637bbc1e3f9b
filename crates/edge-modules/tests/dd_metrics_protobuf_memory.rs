//! The memory the Datadog metrics module takes for a protobuf body made of
//! many tiny series: bounded by the body's size, as for JSON bodies (a
//! decoded body is accounted against the proxy's memory budget; what the
//! module allocates on top of it is not).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use edge_modules::{DatadogMetricsModule, ProxyModule, RequestAction, RequestParts};
use edge_policy::parse::{parse_document, Format};
use edge_policy::Registry;
use http::{HeaderMap, HeaderValue, Method};

/// Counts the bytes live and their peak (this test binary only).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn module(policies: &str) -> DatadogMetricsModule {
    let registry = Arc::new(Registry::new());
    registry.update_source_parsed("test", parse_document(policies, Format::Json).unwrap());
    DatadogMetricsModule::new(registry)
}

/// The peak bytes allocated while the module filters `body` (on top of
/// what was live before).
fn peak_while(m: &DatadogMetricsModule, body: &[u8]) -> (usize, RequestAction) {
    let mut headers = HeaderMap::new();
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/x-protobuf"),
    );
    let req = RequestParts {
        method: &Method::POST,
        path: "/api/v2/series",
        query: None,
        headers: &headers,
    };
    assert!(m.inspects_request_body(&req));
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let action = m.on_request(&req, body);
    (PEAK.load(Ordering::Relaxed) - before, action)
}

/// 1 MiB of empty and one-name series (two and seven bytes each): the
/// module's own allocations stay within about the body's size, whether
/// nothing, some or everything is dropped.
#[test]
fn tiny_protobuf_series_take_memory_bounded_by_the_body() {
    let m = module(
        r#"{"policies":[{"id":"p","name":"p","metric":{"match":[{"metric_field":"name","exact":"drop"}],"keep":false}}]}"#,
    );
    let empty: &[u8] = &[0x0a, 0x00];
    let named: &[u8] = &[0x0a, 0x06, 0x12, 0x04, b'd', b'r', b'o', b'p'];
    let n = 1 << 19;
    let bodies = [
        empty.repeat(n),
        [empty, named].concat().repeat(n / 4),
        named.repeat(n / 4),
    ];
    for body in &bodies {
        let (peak, action) = peak_while(&m, body);
        assert!(
            peak <= body.len() + 64 * 1024,
            "{peak} bytes allocated for a body of {} bytes",
            body.len()
        );
        // The outcome is still right.
        match action {
            RequestAction::ForwardOriginal => assert!(!body.ends_with(named)),
            RequestAction::ForwardModified(out) => {
                assert_eq!(out.len(), body.len() / 5, "{}", body.len());
                assert!(out.chunks(2).all(|c| c == empty));
            }
            RequestAction::Respond(r) => {
                assert_eq!(r.status, 202);
                assert!(!body.starts_with(empty));
            }
        }
    }
}
