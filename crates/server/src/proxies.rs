//! Where a request comes from, for login throttling. Behind a reverse proxy
//! the peer is the proxy, and the client's address is in `X-Forwarded-For`;
//! but every entry of that header except those the proxies append is
//! written by the client, so only the configured proxy networks are
//! believed: the client is the right-most address that is not a proxy.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use ipnet::IpNet;
use poem::Request;

/// The networks of the reverse proxies in front of the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// A comma-separated list of networks (`10.0.0.0/8`) or single
    /// addresses (`192.0.2.10`, `::1`); empty for none.
    fn from_str(list: &str) -> Result<Self, Self::Err> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| {
                        format!(
                            "`{item}` is neither a network like 10.0.0.0/8 nor an address like 192.0.2.10"
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }
}

impl std::fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&list.join(","))
    }
}

impl TrustedProxies {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address: the peer itself unless it is a trusted proxy;
    /// else, walking `X-Forwarded-For` from the right (each proxy appends
    /// the address it received the request from), the first address that
    /// is not a proxy. An entry that is not an address stops the walk at
    /// the proxy that passed it on; if every entry is a proxy, the
    /// left-most one is the answer.
    pub fn client_address<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl DoubleEndedIterator<Item = &'a str>,
    ) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.contains(client) {
            return client;
        }
        for entry in forwarded_for.rev() {
            match parse_entry(entry) {
                Some(address) => {
                    client = address;
                    if !self.contains(address) {
                        break;
                    }
                }
                None => break,
            }
        }
        client
    }

    /// The client address of `req`, as text (the throttling key).
    pub fn client_address_of(&self, req: &Request) -> String {
        let Some(peer) = req.remote_addr().as_socket_addr().map(SocketAddr::ip) else {
            return "unknown".to_owned();
        };
        let entries: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        self.client_address(peer, entries.into_iter()).to_string()
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port
/// (`192.0.2.1:4711`, `[2001:db8::1]:443`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim().trim_matches('"');
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .or_else(|_| {
            entry
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .ok_or(())
                .and_then(|inner| inner.parse::<IpAddr>().map_err(|_| ()))
        })
        .ok()
        .map(|address| address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &str) -> TrustedProxies {
        list.parse().expect("a valid list")
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn client(proxies: &TrustedProxies, peer: &str, header: &str) -> IpAddr {
        proxies.client_address(ip(peer), header.split(','))
    }

    #[test]
    fn lists_of_networks_and_addresses_parse() {
        let list = proxies(" 10.0.0.0/8, 192.0.2.10 ,fd00::/8,::1");
        assert!(list.contains(ip("10.1.2.3")));
        assert!(list.contains(ip("192.0.2.10")));
        assert!(!list.contains(ip("192.0.2.11")));
        assert!(list.contains(ip("fd12::1")));
        assert!(list.contains(ip("::1")));
        // An IPv4 peer seen on an IPv6 socket is the same peer.
        assert!(list.contains(ip("::ffff:10.9.9.9")));
        assert!(proxies("").is_empty());
        assert_eq!(proxies("10.1.2.3/8").to_string(), "10.0.0.0/8");
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("true".parse::<TrustedProxies>().is_err());
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            client(&none, "198.51.100.7", "203.0.113.1"),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn a_peer_that_is_no_proxy_cannot_forward() {
        let list = proxies("10.0.0.0/8");
        assert_eq!(
            client(&list, "198.51.100.7", "203.0.113.1, 10.0.0.5"),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn the_right_most_address_that_is_no_proxy_is_the_client() {
        let list = proxies("10.0.0.0/8");
        // The client wrote the first two entries itself; the proxy appended
        // the address it saw.
        assert_eq!(
            client(&list, "10.0.0.2", "1.1.1.1, 2.2.2.2, 198.51.100.7"),
            ip("198.51.100.7")
        );
        // Two proxies in a row.
        assert_eq!(
            client(&list, "10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.9"),
            ip("198.51.100.7")
        );
        // Ports and brackets as some proxies write them.
        assert_eq!(
            client(&list, "10.0.0.2", "198.51.100.7:51000"),
            ip("198.51.100.7")
        );
        assert_eq!(
            client(&list, "10.0.0.2", "[2001:db8::7]:443"),
            ip("2001:db8::7")
        );
        assert_eq!(client(&list, "10.0.0.2", "2001:db8::7"), ip("2001:db8::7"));
    }

    #[test]
    fn odd_headers_fall_back_to_the_last_proxy_seen() {
        let list = proxies("10.0.0.0/8");
        // No header: the proxy itself.
        assert_eq!(
            list.client_address(ip("10.0.0.2"), std::iter::empty()),
            ip("10.0.0.2")
        );
        // Garbage where the proxy's entry should be.
        assert_eq!(
            client(&list, "10.0.0.2", "198.51.100.7, not-an-address"),
            ip("10.0.0.2")
        );
        assert_eq!(
            client(&list, "10.0.0.2", "198.51.100.7, 10.0.0.3, "),
            ip("10.0.0.2")
        );
        // Only proxies: the left-most.
        assert_eq!(
            client(&list, "10.0.0.2", "10.0.0.4, 10.0.0.3"),
            ip("10.0.0.4")
        );
    }
}
