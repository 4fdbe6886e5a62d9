//! Publishers, series, topics and authors: upserts by slug.

use diesel::prelude::*;

use super::{Outcome, Target, Writer, ROWS_PER_INSERT};
use crate::db::DbConn;
use crate::domain::{fold, Kind};
use crate::ingest::record::{AuthorRecord, PublisherRecord, SeriesRecord, TopicRecord};
use crate::schema::{authors, publisher_contacts, publisher_units, publishers, series, topics};

impl Writer {
    pub(super) fn write_publisher(
        &mut self,
        conn: &mut DbConn,
        r: &PublisherRecord,
        hash: &str,
        target: Target,
    ) -> QueryResult<(i64, Outcome)> {
        let (id, outcome) = upsert!(
            self,
            conn,
            Kind::Publisher,
            target,
            publishers,
            r.slug.as_str(),
            hash,
            (
                publishers::name.eq(r.name.as_str()),
                publishers::short_name.eq(r.short_name.as_ref().map(|t| t.as_str())),
                publishers::description.eq(r.description.as_ref().map(|t| t.as_str())),
                publishers::url.eq(r.url.clone().map(|u| u.into_string())),
                publishers::founded_on.eq(r.founded_on),
                publishers::location.eq(r.location.as_ref().map(|t| t.as_str())),
                publishers::tagline.eq(r.tagline.as_ref().map(|t| t.as_str())),
                publishers::tagline_attribution.eq(r.tagline_attribution.as_ref().map(|t| t.as_str())),
                publishers::search_name.eq(fold(r.name.as_str())),
            )
        );
        if outcome != Outcome::Unchanged {
            diesel::delete(publisher_units::table.filter(publisher_units::publisher_id.eq(id))).execute(conn)?;
            diesel::delete(publisher_contacts::table.filter(publisher_contacts::publisher_id.eq(id))).execute(conn)?;
            let offices = r.offices.iter().map(|o| (crate::domain::UnitType::Office, o.as_str(), None));
            let programs = r.programs.iter().map(|p| {
                (crate::domain::UnitType::Program, p.name.as_str(), p.description.as_ref().map(|d| d.as_str()))
            });
            let units: Vec<_> = offices
                .chain(programs)
                .enumerate()
                .map(|(i, (kind, name, description))| {
                    (
                        publisher_units::publisher_id.eq(id),
                        publisher_units::position.eq(i as i32),
                        publisher_units::unit_type.eq(kind),
                        publisher_units::name.eq(name),
                        publisher_units::description.eq(description),
                    )
                })
                .collect();
            insert_chunked!(conn, publisher_units::table, units);
            let contacts: Vec<_> = r
                .contacts
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        publisher_contacts::publisher_id.eq(id),
                        publisher_contacts::position.eq(i as i32),
                        publisher_contacts::kind.eq(c.kind.as_str()),
                        publisher_contacts::value.eq(c.value.as_str()),
                    )
                })
                .collect();
            insert_chunked!(conn, publisher_contacts::table, contacts);
        }
        Ok((id, outcome))
    }

    pub(super) fn write_series(
        &mut self,
        conn: &mut DbConn,
        r: &SeriesRecord,
        hash: &str,
        target: Target,
    ) -> QueryResult<(i64, Outcome)> {
        let publisher_id = self.id(Kind::Publisher, &r.publisher)?;
        Ok(upsert!(
            self,
            conn,
            Kind::Series,
            target,
            series,
            r.slug.as_str(),
            hash,
            (
                series::name.eq(r.name.as_str()),
                series::publisher_id.eq(publisher_id),
                series::series_type.eq(r.series_type),
                series::description.eq(r.description.as_ref().map(|t| t.as_str())),
                series::search_name.eq(fold(r.name.as_str())),
            )
        ))
    }

    pub(super) fn write_topic(
        &mut self,
        conn: &mut DbConn,
        r: &TopicRecord,
        hash: &str,
        target: Target,
    ) -> QueryResult<(i64, Outcome)> {
        Ok(upsert!(
            self,
            conn,
            Kind::Topic,
            target,
            topics,
            r.slug.as_str(),
            hash,
            (
                topics::name.eq(r.name.as_str()),
                topics::description.eq(r.description.as_ref().map(|t| t.as_str())),
                topics::search_name.eq(fold(r.name.as_str())),
                topics::provenance.eq(r.provenance.as_ref().map(|p| p.entry).unwrap_or_default()),
                topics::provenance_note.eq(r.provenance.as_ref().and_then(|p| p.note.as_ref()).map(|t| t.as_str())),
            )
        ))
    }

    pub(super) fn write_author(
        &mut self,
        conn: &mut DbConn,
        r: &AuthorRecord,
        hash: &str,
        target: Target,
    ) -> QueryResult<(i64, Outcome)> {
        Ok(upsert!(
            self,
            conn,
            Kind::Author,
            target,
            authors,
            r.slug.as_str(),
            hash,
            (
                authors::name.eq(r.name.as_str()),
                authors::family_name.eq(r.family_name.as_ref().map(|t| t.as_str())),
                authors::given_name.eq(r.given_name.as_ref().map(|t| t.as_str())),
                authors::bio.eq(r.bio.as_ref().map(|t| t.as_str())),
                authors::search_name.eq(fold(r.name.as_str())),
                authors::name_parts_provenance.eq(r.provenance.as_ref().and_then(|p| p.name_parts).unwrap_or_default()),
                authors::provenance_note.eq(r.provenance.as_ref().and_then(|p| p.note.as_ref()).map(|t| t.as_str())),
            )
        ))
    }
}
