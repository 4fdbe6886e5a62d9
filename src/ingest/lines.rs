//! Reading an import source line by line with bounded memory: a line longer
//! than `MAX_LINE_BYTES` is an error, not an allocation.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use crate::ingest::validate::LineError;

pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Something that can be read twice (once to check, once to write).
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Bytes(&'static [u8]),
}

impl Source {
    pub fn open(&self) -> io::Result<Box<dyn BufRead>> {
        Ok(match self {
            Source::File(path) => Box::new(BufReader::with_capacity(1 << 20, File::open(path)?)),
            Source::Bytes(bytes) => Box::new(*bytes),
        })
    }

    pub fn len(&self) -> io::Result<u64> {
        Ok(match self {
            Source::File(path) => std::fs::metadata(path)?.len(),
            Source::Bytes(bytes) => bytes.len() as u64,
        })
    }

    pub fn is_empty(&self) -> io::Result<bool> {
        Ok(self.len()? == 0)
    }
}

pub struct LineReader {
    inner: Box<dyn BufRead>,
    buf: Vec<u8>,
    text: String,
    number: usize,
    bytes: u64,
    done: bool,
}

impl LineReader {
    pub fn new(inner: Box<dyn BufRead>) -> Self {
        Self { inner, buf: Vec::new(), text: String::new(), number: 0, bytes: 0, done: false }
    }

    /// The next non-blank line: its 1-based number, the bytes read up to
    /// its end, and its text.
    pub fn next_line(&mut self) -> Option<Result<(usize, u64, &str), LineError>> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            let limit = (MAX_LINE_BYTES + 2) as u64;
            let read = match (&mut self.inner).take(limit).read_until(b'\n', &mut self.buf) {
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    return Some(Err(LineError {
                        line: self.number + 1,
                        field: String::new(),
                        message: e.to_string(),
                    }));
                }
            };
            if read == 0 {
                self.done = true;
                return None;
            }
            self.number += 1;
            self.bytes += read as u64;
            if self.buf.len() > MAX_LINE_BYTES && !self.buf.ends_with(b"\n") {
                self.done = true;
                let message = format!("is longer than {} MiB", MAX_LINE_BYTES / (1024 * 1024));
                return Some(Err(LineError { line: self.number, field: String::new(), message }));
            }
            while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
                self.buf.pop();
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.text.clear();
            match std::str::from_utf8(&self.buf) {
                Ok(s) => self.text.push_str(s),
                Err(e) => {
                    let message = format!("is not valid UTF-8 (byte {})", e.valid_up_to());
                    return Some(Err(LineError { line: self.number, field: String::new(), message }));
                }
            }
            return Some(Ok((self.number, self.bytes, &self.text)));
        }
    }
}
