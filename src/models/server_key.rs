//! Keys the server keeps in its database (so that what it signs stays
//! valid across restarts), created on first use.

use diesel::prelude::*;

use crate::db::DbConn;

diesel::table! {
    server_keys (name) {
        name -> Text,
        key -> Binary,
    }
}

/// The 32-byte key called `name`, made up now if there is none yet.
pub fn get_or_create(conn: &mut DbConn, name: &str) -> QueryResult<[u8; 32]> {
    crate::db::write_transaction(conn, |conn| {
        let existing: Option<Vec<u8>> =
            server_keys::table.find(name).select(server_keys::key).first(conn).optional()?;
        if let Some(key) = existing.and_then(|k| <[u8; 32]>::try_from(k).ok()) {
            return Ok(key);
        }
        let key: [u8; 32] = rand::random();
        diesel::delete(server_keys::table.find(name)).execute(conn)?;
        diesel::insert_into(server_keys::table)
            .values((server_keys::name.eq(name), server_keys::key.eq(key.to_vec())))
            .execute(conn)?;
        Ok(key)
    })
}
