//! A real server on a port: HEAD, and the connection-level behaviour the
//! in-process harness cannot show.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

use commentary_api::startup;

use crate::helpers::{open_seeded, temp_db, test_state};

fn raw_request(addr: std::net::SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

#[actix_web::test]
async fn head_works_on_get_routes_without_a_body() {
    let (dir, path) = temp_db();
    let pool = open_seeded(&path);
    let index_dir = dir.path().join("index");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server =
        startup::server(listener, actix_web::web::Data::new(test_state(pool, &path, &index_dir)), Some(1)).unwrap();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let head = actix_web::rt::task::spawn_blocking(move || {
        let head = raw_request(
            addr,
            "HEAD /v1/articles?topic=the-korean-peninsula HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        let get = raw_request(
            addr,
            "GET /v1/articles?topic=the-korean-peninsula HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        let health = raw_request(addr, "HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        (head, get, health)
    })
    .await
    .unwrap();
    let (head, get, health) = head;
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(head.to_lowercase().contains("x-total-count: 4"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body: {head:?}");
    assert!(get.contains("\"data\":["), "GET has the body");
    assert!(health.starts_with("HTTP/1.1 200 OK"));
    handle.stop(true).await;
}
