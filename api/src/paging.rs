//! Opaque cursors and page sizes at the edge.
//!
//! A cursor is the sort key of the last item of a page, tagged with the list it belongs to and
//! base64url-encoded. Clients must treat it as opaque; a cursor that does not decode, or that
//! belongs to another list, is a 400.

use std::fmt::Display;

use actix_web::web;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use merit_domain::paging::PageLimit;
use merit_persistence::{DbConnection, Page, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{
    IntoParams, ToSchema,
    openapi::{
        Ref, RefOr,
        schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type},
    },
};

use crate::{
    db::Db,
    error::{ApiError, Code},
};

/// Checks a requested page size (absent means the default).
pub fn limit(requested: Option<u64>) -> Result<PageLimit, ApiError> {
    requested.map_or(Ok(PageLimit::DEFAULT), |n| {
        PageLimit::parse(n).map_err(|e| ApiError::invalid("limit", "out_of_range", e.to_string()))
    })
}

/// Checks a list's `limit` (422) and `cursor` (400): the page size and the key to start after.
fn page_params(
    list: &str,
    limit_param: Option<u64>,
    cursor: Option<&str>,
) -> Result<(PageLimit, Option<String>), ApiError> {
    let limit = limit(limit_param)?;
    let after = cursor.map(|c| decode_cursor(list, c)).transpose()?;
    Ok((limit, after))
}

/// A list's checked `limit` and `cursor`, with the list's name, which tags its cursors: what a
/// list handler reads its page with.
#[derive(Debug)]
pub struct Paging {
    list: &'static str,
    limit: PageLimit,
    after: Option<String>,
}

impl Paging {
    /// Checks a list's `limit` (422) and `cursor` (400, also when another list gave it out).
    pub fn parse(
        list: &'static str,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> Result<Self, ApiError> {
        let (limit, after) = page_params(list, limit, cursor)?;
        Ok(Paging { list, limit, after })
    }

    /// Refuses (400) a cursor whose key is not of the shape `valid` accepts, for lists whose
    /// keys have one.
    pub fn keyed(self, valid: impl Fn(&str) -> bool) -> Result<Self, ApiError> {
        match self.after.as_deref() {
            Some(key) if !valid(key) => Err(invalid_cursor()),
            _ => Ok(self),
        }
    }

    /// Reads the page with the use case `read`, in one read transaction, and answers it: each
    /// item through `to_dto`, the next cursor from the `key` of the last one.
    pub async fn read<U, T, K>(
        self,
        db: &Db,
        read: impl FnOnce(&mut DbConnection, PageRequest<'_>) -> Result<Page<U>, ApiError>
        + Send
        + 'static,
        key: impl Fn(&U) -> K,
        to_dto: impl Fn(U) -> T,
    ) -> Result<web::Json<PageResponse<T>>, ApiError>
    where
        U: Send + 'static,
        T: ToSchema,
        K: Display,
    {
        let Paging { list, limit, after } = self;
        let page = db
            .read(move |conn| {
                let request = PageRequest {
                    after: after.as_deref(),
                    limit,
                };
                read(conn, request)
            })
            .await?;
        Ok(web::Json(PageResponse::from_page_by(
            page, list, key, to_dto,
        )))
    }
}

/// Encodes the key of the last item of a page of list `list`.
pub fn encode_cursor(list: &str, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{list}\n{key}"))
}

/// Decodes a cursor made by [`encode_cursor`] for the same list.
pub fn decode_cursor(list: &str, cursor: &str) -> Result<String, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        // Keys are ids and codes; a control character (NUL above all, which PostgreSQL cannot
        // even compare) means the cursor was made up.
        .filter(|text| !text.chars().skip(list.len() + 1).any(char::is_control))
        .and_then(|text| {
            text.strip_prefix(list)
                .and_then(|rest| rest.strip_prefix('\n'))
                .map(str::to_owned)
        })
        .ok_or_else(invalid_cursor)
}

/// 400 `invalid_cursor`: the cursor is not one this list gave out.
pub fn invalid_cursor() -> ApiError {
    ApiError::new(
        Code::InvalidCursor,
        "The cursor is not one this list gave out. Start again without a cursor.",
    )
}

/// The query of a list that has no filters: a page size and where to start.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page of this list.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// One page of a list, as every list endpoint answers.
///
/// Its schema is written here rather than derived: utoipa would copy the item's schema into
/// every page schema, where a `$ref` lets generated clients share the item type.
#[derive(Debug, Serialize)]
pub struct PageResponse<T: ToSchema> {
    /// The items of this page, in order.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> utoipa::__dev::ComposeSchema for PageResponse<T> {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let items = ArrayBuilder::new()
            .items(Ref::from_schema_name(T::name()))
            .description(Some("The items of this page, in order."));
        let next_cursor = ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .description(Some(
                "Pass as `cursor` to get the next page; null on the last page.",
            ));
        ObjectBuilder::new()
            .description(Some("One page of a list, as every list endpoint answers."))
            .property("items", items)
            .required("items")
            .property("next_cursor", next_cursor)
            .required("next_cursor")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .into()
    }
}

impl<T: ToSchema> ToSchema for PageResponse<T> {
    // utoipa appends the item's name where the page is used: `PageResponse_TemplateResponse`.
    fn name() -> std::borrow::Cow<'static, str> {
        "PageResponse".into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}

impl<T: ToSchema> PageResponse<T> {
    /// Builds the response from a page, taking the cursor key from its last item.
    pub fn from_page<U>(
        page: Page<U>,
        list: &str,
        key: impl Fn(&U) -> &str,
        to_dto: impl Fn(U) -> T,
    ) -> Self {
        let next = page.has_more.then(|| page.items.last().map(key)).flatten();
        let next_cursor = next.map(|k| encode_cursor(list, k));
        Self::of(page.items, next_cursor, to_dto)
    }

    /// The same for a key that is not text already (a typed id).
    pub fn from_page_by<U, K: Display>(
        page: Page<U>,
        list: &str,
        key: impl Fn(&U) -> K,
        to_dto: impl Fn(U) -> T,
    ) -> Self {
        let next = page.has_more.then(|| page.items.last().map(key)).flatten();
        let next_cursor = next.map(|k| encode_cursor(list, &k.to_string()));
        Self::of(page.items, next_cursor, to_dto)
    }

    fn of<U>(items: Vec<U>, next_cursor: Option<String>, to_dto: impl Fn(U) -> T) -> Self {
        PageResponse {
            items: items.into_iter().map(to_dto).collect(),
            next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_decodes_to_its_key_for_its_own_list_only() {
        let cursor = encode_cursor("departments", "DMV");
        assert_eq!(decode_cursor("departments", &cursor).unwrap(), "DMV");
        assert_eq!(
            decode_cursor("offices", &cursor).unwrap_err().code(),
            "invalid_cursor"
        );
    }

    #[test]
    fn garbage_is_an_invalid_cursor() {
        assert_eq!(
            decode_cursor("departments", "%%%").unwrap_err().code(),
            "invalid_cursor"
        );
    }

    #[test]
    fn paging_refuses_a_key_of_the_wrong_shape_and_keeps_one_of_the_right_shape() {
        let cursor = encode_cursor("alerts", "x|1");
        let shaped = |key: &str| key.contains('|');
        let paging = Paging::parse("alerts", Some(5), Some(&cursor)).unwrap();
        let paging = paging.keyed(shaped).unwrap();
        assert_eq!(paging.after.as_deref(), Some("x|1"));
        assert_eq!(paging.limit.get(), 5);
        let unshaped = encode_cursor("alerts", "x");
        let paging = Paging::parse("alerts", None, Some(&unshaped)).unwrap();
        assert_eq!(paging.keyed(shaped).unwrap_err().code(), "invalid_cursor");
        assert!(
            Paging::parse("alerts", None, None)
                .unwrap()
                .keyed(shaped)
                .is_ok()
        );
        assert_eq!(
            Paging::parse("templates", None, Some(&cursor))
                .unwrap_err()
                .code(),
            "invalid_cursor"
        );
    }

    #[test]
    fn a_page_has_a_next_cursor_from_its_last_key_only_when_more_follow() {
        let key_calls = std::cell::Cell::new(0);
        let key = |n: &u32| {
            key_calls.set(key_calls.get() + 1);
            n * 10
        };
        let more = Page {
            items: vec![1_u32, 2, 3],
            has_more: true,
        };
        let page = PageResponse::<String>::from_page_by(more, "numbers", key, |n| n.to_string());
        assert_eq!(page.items, ["1", "2", "3"]);
        let next = page.next_cursor.unwrap();
        assert_eq!(decode_cursor("numbers", &next).unwrap(), "30");
        assert_eq!(key_calls.get(), 1, "only the last item's key is taken");
        let last = Page {
            items: vec![4_u32],
            has_more: false,
        };
        let page = PageResponse::<String>::from_page_by(last, "numbers", key, |n| n.to_string());
        assert_eq!(page.next_cursor, None);
        assert_eq!(key_calls.get(), 1);
    }

    #[test]
    fn limits_above_one_hundred_are_a_validation_error() {
        assert_eq!(limit(Some(101)).unwrap_err().code(), "validation_failed");
        assert_eq!(limit(None).unwrap().get(), 20);
    }
}
