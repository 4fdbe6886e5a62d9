//! Who a request's quota belongs to.

use std::net::IpAddr;

/// The partition a request is counted in: its API key, or else the
/// address it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    /// An API key, by its id.
    Key(i64),
    /// An IPv4 address (an IPv4-mapped IPv6 address counts as IPv4).
    V4(u32),
    /// The /64 network of an IPv6 address: what one subscriber is usually
    /// given, so counting single addresses would let one client use 2^64
    /// quotas.
    V6(u64),
    /// No address is known (not a TCP connection): such requests share one
    /// quota.
    Unknown,
}

impl Client {
    pub fn from_ip(ip: IpAddr) -> Client {
        match ip.to_canonical() {
            IpAddr::V4(v4) => Client::V4(u32::from(v4)),
            IpAddr::V6(v6) => Client::V6((u128::from(v6) >> 64) as u64),
        }
    }

    /// Whether an API key's quota applies.
    pub fn has_key(&self) -> bool {
        matches!(self, Client::Key(_))
    }
}

#[cfg(test)]
mod tests {
    use super::Client;

    fn client(ip: &str) -> Client {
        Client::from_ip(ip.parse().unwrap())
    }

    #[test]
    fn an_ipv6_network_is_one_client_and_mapped_ipv4_is_ipv4() {
        assert_eq!(client("2001:db8:1:2::1"), client("2001:db8:1:2:ffff::9"));
        assert_ne!(client("2001:db8:1:2::1"), client("2001:db8:1:3::1"));
        assert_eq!(client("::ffff:192.0.2.7"), client("192.0.2.7"));
        assert_ne!(client("192.0.2.7"), client("192.0.2.8"));
    }
}
