//! The renderer of each export format, picked in one place: an article
//! list streamed item by item into a growing buffer.

use serde::Serialize;

use super::csv::{ArticleCsv, TableColumns, TableCsv};
use super::ndjson;
use crate::error::ApiError;
use crate::listing::export::ExportItems;
use crate::listing::params::ListFormat;
use crate::views::articles::FieldMask;

/// How the export's items become bytes.
pub enum ArticleWriter {
    Ndjson,
    Csv(Box<ArticleCsv>),
}

/// What the renderers need besides the items.
pub struct ExportContext<'a> {
    /// `scheme://host` of absolute links.
    pub origin: &'a str,
    /// The fields the items carry.
    pub mask: FieldMask,
    /// The list is a search (items carry a score).
    pub search: bool,
    /// CSV: start with a byte order mark.
    pub bom: bool,
}

impl ArticleWriter {
    /// The writer of `format`, its opening written to `out`.
    pub fn start(format: ListFormat, ctx: &ExportContext<'_>, out: &mut Vec<u8>) -> Result<ArticleWriter, ApiError> {
        let mut writer = match format {
            ListFormat::Ndjson => ArticleWriter::Ndjson,
            ListFormat::Csv => {
                ArticleWriter::Csv(Box::new(ArticleCsv::new(ctx.mask, ctx.search, ctx.bom, ctx.origin)?))
            }
            other => return Err(ApiError::Internal(format!("{} is not an export format", other.name()))),
        };
        writer.drain_into(out)?;
        Ok(writer)
    }

    /// Write `items`, in order, to `out`.
    pub fn items(&mut self, items: &ExportItems, out: &mut Vec<u8>) -> Result<(), ApiError> {
        match (self, items) {
            (ArticleWriter::Ndjson, ExportItems::Items(items)) => {
                items.iter().try_for_each(|item| ndjson::article(item, out))
            }
            (ArticleWriter::Ndjson, ExportItems::Texts(texts)) => {
                texts.iter().try_for_each(|text| ndjson::text(text, out))
            }
            (ArticleWriter::Csv(csv), items) => {
                match items {
                    ExportItems::Texts(texts) => texts.iter().try_for_each(|text| csv.item(text))?,
                    ExportItems::Items(items) => {
                        super::item::item_texts(items)?.iter().try_for_each(|text| csv.item(text))?
                    }
                }
                csv.drain_into(out)
            }
        }
    }

    /// Write what ends the export.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), ApiError> {
        self.drain_into(out)
    }

    fn drain_into(&mut self, out: &mut Vec<u8>) -> Result<(), ApiError> {
        match self {
            ArticleWriter::Ndjson => Ok(()),
            ArticleWriter::Csv(csv) => csv.drain_into(out),
        }
    }
}

/// How a list of authors, regions, topics, publishers or series becomes
/// bytes.
pub enum TableWriter {
    Ndjson,
    Csv(Box<TableCsv>),
}

impl TableWriter {
    /// The writer of `format` (CSV with `columns`), its opening written to
    /// `out`.
    pub fn start(
        format: ListFormat,
        columns: &TableColumns,
        bom: bool,
        out: &mut Vec<u8>,
    ) -> Result<TableWriter, ApiError> {
        let mut writer = match format {
            ListFormat::Ndjson => TableWriter::Ndjson,
            ListFormat::Csv => TableWriter::Csv(Box::new(TableCsv::new(columns, bom)?)),
            other => return Err(ApiError::Internal(format!("{} is not an export format of tables", other.name()))),
        };
        writer.rows::<()>(&[], out)?;
        Ok(writer)
    }

    /// Write `rows`, in order, to `out`.
    pub fn rows<T: Serialize>(&mut self, rows: &[T], out: &mut Vec<u8>) -> Result<(), ApiError> {
        match self {
            TableWriter::Ndjson => rows.iter().try_for_each(|row| ndjson::value(row, out)),
            TableWriter::Csv(csv) => {
                rows.iter().try_for_each(|row| csv.row(row))?;
                csv.drain_into(out)
            }
        }
    }
}
