//! The [`DiscoveryBackend`] over mDNS/DNS-SD (the `mdns-sd` crate) for Linux
//! and desktops: only with the `mdns` feature (the apps feed discovery from
//! their platform's service discovery instead).

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, SocketAddr, SocketAddrV6};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use mdns_sd::{IfKind, ResolvedService, ScopedIp, ServiceDaemon, ServiceEvent, ServiceInfo};

use super::{DiscoveryBackend, SERVICE_TYPE, Seen, lock};
use crate::Error;
use crate::error::NetError;

/// The only TXT entry we publish.
const TXT_VERSION: (&str, &str) = ("v", "1");
/// Upper bound on services remembered by [`MdnsBackend`] (hostile networks).
const MAX_SEEN: usize = 1024;
/// Longest DNS label; longer instance names are ignored / refused.
const MAX_LABEL: usize = 63;
/// How often the browse thread checks whether it should stop.
const POLL: Duration = Duration::from_millis(200);
/// How long shutdown waits for the mDNS daemon to send its goodbyes.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(2);

/// The network interface an [`MdnsBackend`] is restricted to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Interface {
    /// By name, e.g. `"lo"` or `"wlan0"` (IPv4 and IPv6).
    Name(String),
    /// The interface holding this address (that address family only).
    Addr(IpAddr),
}

impl From<&str> for Interface {
    fn from(name: &str) -> Self {
        Self::Name(name.to_owned())
    }
}

impl From<IpAddr> for Interface {
    fn from(addr: IpAddr) -> Self {
        Self::Addr(addr)
    }
}

type SeenMap = Arc<Mutex<HashMap<String, Seen>>>;

/// [`DiscoveryBackend`] over mDNS/DNS-SD (RFC 6762/6763), port 5353.
pub struct MdnsBackend {
    daemon: ServiceDaemon,
    seen: SeenMap,
    /// Full name of the service we announce.
    announced: Mutex<Option<String>>,
    stop: Arc<AtomicBool>,
    browser: Mutex<Option<JoinHandle<()>>>,
}

impl fmt::Debug for MdnsBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MdnsBackend").finish_non_exhaustive()
    }
}

impl MdnsBackend {
    /// Starts an mDNS daemon and browses for [`SERVICE_TYPE`] on a background
    /// thread. With `interface`, only that interface is used (for sending and
    /// receiving); otherwise every interface that is up.
    pub fn new(interface: Option<Interface>) -> Result<Self, Error> {
        let daemon = ServiceDaemon::new().map_err(mdns_err("start daemon"))?;
        let started = Self::start(&daemon, interface);
        match started {
            Ok((seen, stop, browser)) => Ok(Self {
                daemon,
                seen,
                announced: Mutex::new(None),
                stop,
                browser: Mutex::new(Some(browser)),
            }),
            Err(e) => {
                let _ = daemon.shutdown();
                Err(e)
            }
        }
    }

    fn start(
        daemon: &ServiceDaemon,
        interface: Option<Interface>,
    ) -> Result<(SeenMap, Arc<AtomicBool>, JoinHandle<()>), Error> {
        if let Some(interface) = interface {
            let kind = match interface {
                Interface::Name(name) => IfKind::Name(name),
                Interface::Addr(addr) => IfKind::Addr(addr),
            };
            daemon
                .disable_interface(IfKind::All)
                .map_err(mdns_err("select interface"))?;
            daemon
                .enable_interface(kind)
                .map_err(mdns_err("select interface"))?;
        }
        let events = daemon.browse(SERVICE_TYPE).map_err(mdns_err("browse"))?;
        let seen: SeenMap = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let browser = {
            let (seen, stop) = (seen.clone(), stop.clone());
            std::thread::Builder::new()
                .name("deko-discovery".into())
                .spawn(move || browse_loop(&events, &seen, &stop))
                .map_err(|e| Error::Net(NetError::Discovery(format!("spawn browse thread: {e}"))))?
        };
        Ok((seen, stop, browser))
    }
}

impl DiscoveryBackend for MdnsBackend {
    fn announce(&self, instance: &str, port: u16) -> Result<(), Error> {
        if instance.is_empty() || instance.len() > MAX_LABEL || instance.contains('.') {
            return Err(Error::Net(NetError::Discovery(format!(
                "invalid instance name {instance:?}"
            ))));
        }
        let mut announced = lock(&self.announced);
        let host = format!("{instance}.local.");
        let info = ServiceInfo::new(SERVICE_TYPE, instance, &host, (), port, &[TXT_VERSION][..])
            .map_err(mdns_err("service info"))?
            .enable_addr_auto();
        if let Some(old) = announced.take() {
            // Sends goodbye packets for the previous tag; nothing to wait for.
            if let Err(e) = self.daemon.unregister(&old) {
                log::debug!("discovery: unregister {old}: {e}");
            }
        }
        let fullname = info.get_fullname().to_owned();
        self.daemon.register(info).map_err(mdns_err("register"))?;
        *announced = Some(fullname);
        Ok(())
    }

    fn seen(&self) -> Vec<Seen> {
        let mut seen: Vec<Seen> = lock(&self.seen).values().cloned().collect();
        seen.sort_unstable_by(|a, b| a.instance.cmp(&b.instance));
        seen
    }

    fn shutdown(&self) {
        self.stop.store(true, Ordering::Relaxed);
        lock(&self.announced).take();
        // The daemon unregisters (goodbyes) our service and stops browsing.
        match self.daemon.shutdown() {
            Ok(status) => {
                if status.recv_timeout(SHUTDOWN_WAIT).is_err() {
                    log::debug!("discovery: mDNS daemon did not confirm shutdown");
                }
            }
            Err(e) => log::debug!("discovery: mDNS daemon shutdown: {e}"),
        }
        if let Some(browser) = lock(&self.browser).take() {
            // Exits within one POLL of `stop` being set.
            if browser.join().is_err() {
                log::warn!("discovery: browse thread panicked");
            }
        }
        lock(&self.seen).clear();
    }
}

impl Drop for MdnsBackend {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn browse_loop(events: &mdns_sd::Receiver<ServiceEvent>, seen: &SeenMap, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        match events.recv_timeout(POLL) {
            Ok(event) => on_event(event, seen),
            Err(mdns_sd::RecvTimeoutError::Timeout) => {}
            Err(mdns_sd::RecvTimeoutError::Disconnected) => break,
        }
    }
}

fn on_event(event: ServiceEvent, seen: &SeenMap) {
    match event {
        ServiceEvent::ServiceResolved(service) => {
            let Some(entry) = seen_of(&service) else {
                return;
            };
            let mut seen = lock(seen);
            if seen.len() >= MAX_SEEN && !seen.contains_key(&entry.instance) {
                log::debug!("discovery: too many services seen, ignoring more");
                return;
            }
            seen.insert(entry.instance.clone(), entry);
        }
        ServiceEvent::ServiceRemoved(_, fullname) => {
            if let Some(instance) = instance_of(&fullname) {
                lock(seen).remove(&instance.to_ascii_lowercase());
            }
        }
        _ => {}
    }
}

/// What a resolved service means to us, if it is one of ours and usable.
fn seen_of(service: &ResolvedService) -> Option<Seen> {
    if !service.ty_domain.eq_ignore_ascii_case(SERVICE_TYPE) || service.port == 0 {
        return None;
    }
    let instance = instance_of(&service.fullname)?;
    let mut addrs: Vec<SocketAddr> = service
        .addresses
        .iter()
        .filter_map(|ip| socket_addr(ip, service.port))
        .collect();
    if addrs.is_empty() {
        return None;
    }
    addrs.sort_unstable();
    addrs.dedup();
    // DNS names are case-insensitive (and tags lowercase).
    Some(Seen {
        instance: instance.to_ascii_lowercase(),
        addrs,
    })
}

/// The instance label of `<instance>._deko._udp.local.`.
fn instance_of(fullname: &str) -> Option<&str> {
    let suffix = SERVICE_TYPE.len() + 1; // "." + service type
    let split = fullname.len().checked_sub(suffix)?;
    if !fullname.is_char_boundary(split) {
        return None;
    }
    let (instance, rest) = fullname.split_at(split);
    let rest = rest.strip_prefix('.')?;
    if !rest.eq_ignore_ascii_case(SERVICE_TYPE) || instance.is_empty() || instance.len() > MAX_LABEL
    {
        return None;
    }
    Some(instance)
}

fn socket_addr(ip: &ScopedIp, port: u16) -> Option<SocketAddr> {
    let addr = match ip {
        ScopedIp::V6(v6) => {
            let addr = *v6.addr();
            // Link-local addresses are only usable with their interface.
            let scope = if addr.is_unicast_link_local() {
                v6.scope_id().index
            } else {
                0
            };
            SocketAddr::V6(SocketAddrV6::new(addr, port, 0, scope))
        }
        other => SocketAddr::new(other.to_ip_addr(), port),
    };
    let ip = addr.ip();
    (!ip.is_unspecified() && !ip.is_multicast()).then_some(addr)
}

fn mdns_err(what: &'static str) -> impl Fn(mdns_sd::Error) -> Error {
    move |e| Error::Net(NetError::Discovery(format!("mDNS {what}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::super::{Discovery, epoch, tag};
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    const TEAM: [u8; 16] = [7; 16];
    const A: [u8; 32] = [1; 32];
    const B: [u8; 32] = [2; 32];
    const C: [u8; 32] = [3; 32];
    const NOW: u64 = 1_750_000_000;

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn instance_of_parses_only_our_service_type() {
        assert_eq!(instance_of("abc._deko._udp.local."), Some("abc"));
        assert_eq!(instance_of("ABC._DEKO._UDP.LOCAL."), Some("ABC"));
        assert_eq!(instance_of("._deko._udp.local."), None);
        assert_eq!(instance_of("_deko._udp.local."), None);
        assert_eq!(instance_of("abc._http._tcp.local."), None);
        assert_eq!(instance_of("abcx_deko._udp.local."), None);
        assert_eq!(instance_of(""), None);
        assert_eq!(instance_of("é._deko._udp.local."), Some("é"));
        assert_eq!(instance_of("ééééééééééééééééééé"), None);
        let long = format!("{}._deko._udp.local.", "a".repeat(64));
        assert_eq!(instance_of(&long), None);
    }

    #[test]
    fn socket_addrs_keep_link_local_scope_only() {
        let v4 = ScopedIp::from(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(socket_addr(&v4, 9), Some("127.0.0.1:9".parse().unwrap()));
        let v6 = ScopedIp::from(IpAddr::V6(Ipv6Addr::LOCALHOST));
        assert_eq!(socket_addr(&v6, 9), Some("[::1]:9".parse().unwrap()));
        let any = ScopedIp::from(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert_eq!(socket_addr(&any, 9), None);
        let mc = ScopedIp::from(IpAddr::V4(Ipv4Addr::new(224, 0, 0, 251)));
        assert_eq!(socket_addr(&mc, 9), None);
    }

    fn resolved(fullname_instance: &str, ty: &str, addrs: &str, port: u16) -> Box<ResolvedService> {
        let host = "h.local.";
        let info = ServiceInfo::new(ty, fullname_instance, host, addrs, port, None).unwrap();
        Box::new(info.as_resolved_service())
    }

    #[test]
    fn mdns_events_update_the_seen_map() {
        let seen = SeenMap::default();
        let t = tag(&TEAM, &A, 1);
        on_event(ServiceEvent::SearchStarted(SERVICE_TYPE.into()), &seen);
        on_event(
            ServiceEvent::ServiceResolved(resolved(
                &t.to_uppercase(),
                SERVICE_TYPE,
                "127.0.0.1,::1",
                9,
            )),
            &seen,
        );
        let expected = Seen {
            instance: t.clone(),
            addrs: vec![addr("127.0.0.1:9"), addr("[::1]:9")],
        };
        assert_eq!(lock(&seen).get(&t), Some(&expected));
        // Ignored: other service types, no usable address, port 0, odd names.
        for r in [
            resolved("x", "_http._tcp.local.", "127.0.0.1", 9),
            resolved("y", SERVICE_TYPE, "", 9),
            resolved("z", SERVICE_TYPE, "0.0.0.0", 9),
            resolved("w", SERVICE_TYPE, "127.0.0.1", 0),
            resolved(&"v".repeat(64), SERVICE_TYPE, "127.0.0.1", 9),
        ] {
            on_event(ServiceEvent::ServiceResolved(r), &seen);
        }
        assert_eq!(lock(&seen).len(), 1);
        // Removal of something unknown, or of a malformed name, is harmless.
        on_event(
            ServiceEvent::ServiceRemoved(SERVICE_TYPE.into(), "nope".into()),
            &seen,
        );
        on_event(
            ServiceEvent::ServiceRemoved(SERVICE_TYPE.into(), "q._deko._udp.local.".into()),
            &seen,
        );
        assert_eq!(lock(&seen).len(), 1);
        let fullname = format!("{}.{SERVICE_TYPE}", t.to_uppercase());
        on_event(
            ServiceEvent::ServiceRemoved(SERVICE_TYPE.into(), fullname),
            &seen,
        );
        assert!(lock(&seen).is_empty());
    }

    #[test]
    fn seen_map_is_bounded() {
        let seen = SeenMap::default();
        for i in 0..MAX_SEEN + 10 {
            let r = resolved(&format!("s{i}"), SERVICE_TYPE, "127.0.0.1", 9);
            on_event(ServiceEvent::ServiceResolved(r), &seen);
        }
        assert_eq!(lock(&seen).len(), MAX_SEEN);
        // Known entries are still updated when full.
        let r = resolved("s0", SERVICE_TYPE, "127.0.0.2", 9);
        on_event(ServiceEvent::ServiceResolved(r), &seen);
        assert_eq!(lock(&seen)["s0"].addrs, vec![addr("127.0.0.2:9")]);
    }

    // --- real mDNS ------------------------------------------------------------

    /// Printed (loudly) when the real mDNS test cannot run here.
    const SKIP: &str = "SKIPPED: real mDNS test";

    fn skip(why: &str) {
        eprintln!("\n!!!!!!!!!! {SKIP}: {why} !!!!!!!!!!\n");
    }

    #[cfg(not(target_os = "linux"))]
    #[test]
    fn real_mdns_on_loopback() {
        skip("only set up for Linux network namespaces");
    }

    #[cfg(target_os = "linux")]
    mod real {
        use super::*;
        use std::time::Instant;

        /// Set inside the private network namespace the real mDNS test runs in.
        const NETNS_ENV: &str = "DEKO_DISCOVERY_TEST_NETNS";
        /// Exit code of the namespace setup script when it cannot set up loopback.
        const SETUP_FAILED: i32 = 77;

        /// Runs `cmd`, killing it after `timeout`; `None` if it could not start.
        fn run_bounded(
            cmd: &mut std::process::Command,
            timeout: Duration,
        ) -> Option<std::process::Output> {
            use std::process::Stdio;
            let mut child = cmd
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .ok()?;
            let deadline = Instant::now() + timeout;
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if Instant::now() < deadline => std::thread::sleep(POLL),
                    _ => {
                        let _ = child.kill();
                        let _ = child.wait();
                        panic!("{cmd:?} did not finish within {timeout:?}");
                    }
                }
            }
            child.wait_with_output().ok()
        }

        /// Two `MdnsBackend`s talking real mDNS over multicast on loopback.
        ///
        /// To keep every packet on this machine, the test re-runs itself (this test
        /// only) in a fresh network namespace that has nothing but `lo`:
        /// `unshare --net` as root, else `unshare --user --map-root-user --net`
        /// (unprivileged user namespaces), then `ip link set lo up multicast on`.
        /// Needs util-linux `unshare`, iproute2 `ip` and one of those two kinds of
        /// namespace; without them it skips loudly.
        #[test]
        fn real_mdns_on_loopback() {
            if std::env::var_os(NETNS_ENV).is_some() {
                return real_mdns_body();
            }
            use std::process::Command;
            let module = module_path!();
            let module = module.split_once("::").map_or(module, |(_, rest)| rest);
            let name = format!("{module}::real_mdns_on_loopback");
            let Ok(exe) = std::env::current_exe() else {
                return skip("cannot find the test binary");
            };
            let short = Duration::from_secs(2);
            let mut why = String::new();
            let flags = [&["--net"][..], &["--user", "--map-root-user", "--net"][..]]
                .into_iter()
                .find(|flags| {
                    let out = run_bounded(
                        Command::new("unshare")
                            .args(*flags)
                            .args(["--", "sh", "-c", ":"]),
                        short,
                    );
                    match out {
                        Some(out) if out.status.success() => true,
                        Some(out) => {
                            why = String::from_utf8_lossy(&out.stderr).trim().to_owned();
                            false
                        }
                        None => {
                            why = "util-linux `unshare` not found".into();
                            false
                        }
                    }
                });
            let Some(flags) = flags else {
                return skip(&format!(
                    "cannot create a network namespace (needs util-linux `unshare` and root \
                     or unprivileged user namespaces): {why}"
                ));
            };
            let script = format!(
                "ip link set lo up multicast on || exit {SETUP_FAILED}; exec \"$0\" \"$@\""
            );
            let out = run_bounded(
                Command::new("unshare")
                    .args(flags)
                    .args(["--", "sh", "-c", &script])
                    .arg(exe)
                    .args(["--exact", &name, "--nocapture", "--test-threads=1"])
                    .env(NETNS_ENV, "1"),
                Duration::from_secs(10),
            )
            .expect("run the test in a network namespace");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.code() == Some(SETUP_FAILED) {
                return skip(&format!(
                    "cannot bring up loopback in the namespace (needs iproute2 `ip`): {}",
                    stderr.trim()
                ));
            }
            assert!(
                out.status.success() && stdout.contains("1 passed"),
                "real mDNS test failed ({}):\n{stdout}\n{stderr}",
                out.status
            );
            // Shows the skip message or the timing (visible with --nocapture).
            eprint!("{stderr}");
        }

        /// Whether IPv4 multicast loops back on 127.0.0.1 here.
        fn loopback_multicast_works() -> bool {
            use std::net::UdpSocket;
            let probe = || -> std::io::Result<bool> {
                let group = Ipv4Addr::new(239, 255, 42, 99);
                let rx = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))?;
                rx.join_multicast_v4(&group, &Ipv4Addr::LOCALHOST)?;
                rx.set_read_timeout(Some(Duration::from_secs(1)))?;
                let port = rx.local_addr()?.port();
                let tx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
                tx.set_multicast_loop_v4(true)?;
                tx.send_to(b"deko", (group, port))?;
                let mut buf = [0u8; 8];
                rx.recv_from(&mut buf).map(|(n, _)| &buf[..n] == b"deko")
            };
            probe().unwrap_or(false)
        }

        fn wait_for(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
            let deadline = Instant::now() + timeout;
            while !done() {
                assert!(Instant::now() < deadline, "timed out waiting for {what}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }

        fn real_mdns_body() {
            if !loopback_multicast_works() {
                return skip("multicast does not loop back on 127.0.0.1 here");
            }
            let started = Instant::now();
            let roster = [A, B, C];
            let new = || MdnsBackend::new(Some(Interface::Name("lo".into()))).expect("mDNS daemon");
            let a = Discovery::new(Box::new(new()), TEAM, A, 4001);
            let b = Discovery::new(Box::new(new()), TEAM, B, 4002);
            // Watches the wire with a plain mdns-sd browser to check what is published.
            let raw = ServiceDaemon::new().expect("raw daemon");
            raw.disable_interface(IfKind::All).unwrap();
            raw.enable_interface(IfKind::Name("lo".into())).unwrap();
            let raw_events = raw.browse(SERVICE_TYPE).unwrap();

            a.refresh(NOW).unwrap();
            b.refresh(NOW).unwrap();

            let timeout = Duration::from_secs(6);
            let mut a_peers = Vec::new();
            wait_for("A to see B", timeout, || {
                a_peers = a.peers(&roster, NOW);
                !a_peers.is_empty()
            });
            assert_eq!(a_peers.len(), 1);
            assert_eq!(a_peers[0].0, B);
            assert!(
                a_peers[0].1.contains(&addr("127.0.0.1:4002")),
                "{:?}",
                a_peers[0].1
            );
            assert!(a_peers[0].1.iter().all(|s| s.port() == 4002));
            wait_for("B to see A", timeout, || b.peers(&roster, NOW).len() == 1);
            assert_eq!(b.peers(&roster, NOW)[0].0, A);

            // On the wire: instance and host are the tag, TXT is v=1 only.
            let tag_b = tag(&TEAM, &B, epoch(NOW));
            let deadline = Instant::now() + timeout;
            let published = loop {
                let left = deadline.saturating_duration_since(Instant::now());
                match raw_events.recv_timeout(left) {
                    Ok(ServiceEvent::ServiceResolved(s))
                        if instance_of(&s.fullname) == Some(&tag_b) =>
                    {
                        break s;
                    }
                    Ok(_) => {}
                    Err(e) => panic!("raw browser did not resolve B: {e}"),
                }
            };
            assert_eq!(published.host, format!("{tag_b}.local."));
            assert_eq!(published.port, 4002);
            let txt: Vec<String> = published
                .txt_properties
                .iter()
                .map(|p| format!("{}={}", p.key(), p.val_str()))
                .collect();
            assert_eq!(txt, vec!["v=1".to_string()]);
            let _ = raw.shutdown();

            // B leaves: its goodbye removes it from A's view.
            b.shutdown();
            wait_for("B's goodbye", Duration::from_secs(3), || {
                a.peers(&roster, NOW).is_empty()
            });
            a.shutdown();
            eprintln!("real mDNS test took {:?}", started.elapsed());
        }
    }
}
