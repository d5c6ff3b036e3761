//! The OpenAPI 3.1 document, collected from the handlers by utoipa-actix-web.
//!
//! Error responses all reference one `Problem` schema through named response components. The
//! errors every operation can give (400, 422, 500, 503, and for bodies 413 and 415) are added
//! here, once, so no handler can forget them; handlers declare only their own (404, 409, ...).

use std::collections::BTreeSet;

use actix_web::{App, dev::ResourceDef, http::Method};
use utoipa::{
    Modify, OpenApi, ToResponse,
    openapi::{
        self, ContentBuilder, HeaderBuilder, Ref, RefOr, ResponseBuilder,
        path::Operation,
        schema::{ObjectBuilder, Type},
        security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme},
    },
};
use utoipa_actix_web::AppExt;

use crate::error::{FieldError, Problem};

/// The document's fixed parts; paths and their schemas are collected from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Merit",
        description = "Merit is an open-source JSON REST API for public-sector hiring: the back end of a state's careers portal. Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`; lists paginate with `limit` and an opaque `cursor`.",
        license(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0"),
        contact(name = "Merit maintainers", url = "https://github.com/merit-hiring/merit")
    ),
    servers((url = "/", description = "This server")),
    tags(
        (name = "accounts", description = "Registration, email confirmation and recovery."),
        (name = "admin", description = "Administration: accounts, the employee roster, the audit log and the email outbox (failed emails, queued again)."),
        (name = "alerts", description = "Job alerts: search criteria watched for new postings, delivered in the inbox (and by email) at once or as daily or weekly digests; RFC 8058 one-click unsubscribe."),
        (name = "applications", description = "Applications: drafts, submission (with Idempotency-Key), the status timeline and withdrawal; for departments, a posting's applications, moves through their own stages, and submitted documents."),
        (name = "auth", description = "Signing in, refreshing and signing out."),
        (name = "documents", description = "The caller's documents: résumés, cover letters, transcripts and more."),
        (name = "employees", description = "State employees: the privacy agreement and Employee ID activation."),
        (name = "exams", description = "Exams, attempts scored at once, eligibilities that expire, and eligible lists."),
        (name = "letters", description = "Contact letters (employment inquiries, 2 CCR §258): departments send them about an open posting to the eligible list, see each letter's state and record waivers of appointment; people list and answer theirs."),
        (name = "me", description = "The signed-in person's own account."),
        (name = "messages", description = "The caller's inbox: every notice Merit sends a person (application status changes, account notices, contact letters, staff correspondence), read and unread, archived; and which kinds also go by email."),
        (name = "postings", description = "Job postings: search, details, the consideration preview and employers' management."),
        (name = "profile", description = "The caller's profile: contact details, previous supervisors, conditions of employment, and the export of everything Merit holds about them."),
        (name = "profile merges", description = "Profile merge: an employee's own (email) account merged into their Employee ID account, by the employee (proving control with its password) or by an admin; a dry run lists what moves and every conflict."),
        (name = "reference", description = "Departments, classifications, locations and offices."),
        (name = "saved searches", description = "A signed-in person's saved searches."),
        (name = "service", description = "Health, readiness and metrics."),
        (name = "staff", description = "The staff workspace (CalJOBS): case load of individuals and employers, services and placements recorded on cases, quick search, report indicators, correspondence (letter templates with merge fields, letters to a case's person), staff resources, labor-market links and surveys. Staff work their own office's cases; admins every office's."),
        (name = "templates", description = "The caller's application templates (the State application, STD 678)."),
        (name = "webhooks", description = "Webhooks for integrators (Standard Webhooks v1): an API client's endpoints, signing secrets and their rotation, deliveries, the delivery log and redelivery. The payloads are in the document's `webhooks` section."),
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&SecuritySchemes)
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("An access token from `POST /api/v1/auth/login`."))
                    .build(),
            ),
        );
    }
}

/// The problem responses: (component name, description, extra header).
const PROBLEMS: &[(&str, &str, Option<&str>)] = &[
    (
        "BadRequest",
        "The request is malformed: unreadable JSON, parameter or cursor.",
        None,
    ),
    (
        "Unauthorized",
        "No valid access token was given.",
        Some("WWW-Authenticate"),
    ),
    (
        "Forbidden",
        "The caller may not do this: their role does not allow it, or (`password_change_required`) \
         their password is temporary and must be changed first.",
        None,
    ),
    (
        "NotFound",
        "Nothing here, or nothing the caller may see.",
        None,
    ),
    (
        "Conflict",
        "The request conflicts with the current state.",
        None,
    ),
    (
        "PreconditionFailed",
        "`If-Match` does not match the current version.",
        None,
    ),
    (
        "PreconditionRequired",
        "`If-Match` is required: send the ETag from your last read.",
        None,
    ),
    ("PayloadTooLarge", "The body is larger than allowed.", None),
    (
        "UnsupportedMediaType",
        "The body's content type is not accepted.",
        None,
    ),
    (
        "ValidationFailed",
        "Some values are invalid; `errors` lists each field.",
        None,
    ),
    (
        "TooManyRequests",
        "A rate limit was hit; retry after `Retry-After` seconds.",
        Some("Retry-After"),
    ),
    ("InternalError", "An unexpected error; it was logged.", None),
    (
        "ServiceUnavailable",
        "A dependency is down; retry after `Retry-After` seconds.",
        Some("Retry-After"),
    ),
];

fn problem_response(description: &str, header: Option<&str>) -> openapi::Response {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .build();
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", content);
    if let Some(name) = header {
        let schema = ObjectBuilder::new().schema_type(match name {
            "Retry-After" => Type::Integer,
            _ => Type::String,
        });
        response = response.header(name, HeaderBuilder::new().schema(Some(schema)).build());
    }
    response.build()
}

macro_rules! problem_responses {
    ($($name:ident),*) => {$(
        #[doc = concat!("The `", stringify!($name), "` problem response, for `#[utoipa::path]`.")]
        #[derive(Debug)]
        pub struct $name;
        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<openapi::Response>) {
                (stringify!($name), RefOr::Ref(Ref::from_response_name(stringify!($name))))
            }
        }
    )*};
}

problem_responses!(
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PreconditionFailed,
    PreconditionRequired,
    TooManyRequests
);

/// Every operation of the document.
pub(crate) fn operations_mut(api: &mut openapi::OpenApi) -> impl Iterator<Item = &mut Operation> {
    api.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
    })
}

/// Adds each operation's standard problem responses, then registers the problem response
/// components that are referenced. Public operations carry no `security` at all (the document
/// has no global requirement), so generated clients call them without credentials.
fn add_standard_problems(api: &mut openapi::OpenApi) {
    let mut referenced = BTreeSet::new();
    for operation in operations_mut(api) {
        add_operation_problems(operation);
        referenced.extend(
            operation
                .responses
                .responses
                .values()
                .filter_map(|response| match response {
                    RefOr::Ref(reference) => {
                        reference.ref_location.rsplit('/').next().map(str::to_owned)
                    }
                    RefOr::T(_) => None,
                }),
        );
    }
    let components = api.components.get_or_insert_with(Default::default);
    for (name, description, header) in PROBLEMS
        .iter()
        .filter(|(name, ..)| referenced.contains(*name))
    {
        components.responses.insert(
            (*name).to_owned(),
            RefOr::T(problem_response(description, *header)),
        );
    }
}

/// Whether `operation` takes an access token (required or optional).
fn takes_token(operation: &Operation) -> bool {
    operation.security.as_ref().is_some_and(|requirements| {
        requirements
            .iter()
            .any(|r| *r != SecurityRequirement::default())
    })
}

/// The operations a session with a temporary password may call (the `AnySession` extractor).
const ANY_SESSION_OPERATIONS: &[&str] = &["change_password", "log_out"];

fn add_operation_problems(operation: &mut Operation) {
    let has_params = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let has_body = operation.request_body.is_some();
    let mut wanted = vec![("500", "InternalError"), ("503", "ServiceUnavailable")];
    if has_params || has_body {
        wanted.extend([("400", "BadRequest"), ("422", "ValidationFailed")]);
    }
    if has_body {
        wanted.extend([("413", "PayloadTooLarge"), ("415", "UnsupportedMediaType")]);
    }
    if takes_token(operation) {
        wanted.push(("401", "Unauthorized"));
        // A session with a temporary password may only change it or sign out; everything
        // else that takes a token answers 403 `password_change_required`.
        if !ANY_SESSION_OPERATIONS.contains(&operation.operation_id.as_deref().unwrap_or("")) {
            wanted.push(("403", "Forbidden"));
        }
    }
    for (status, name) in wanted {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
    }
}

/// The whole document, as served and as committed in `openapi.yaml`.
pub fn document() -> openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    add_standard_problems(&mut api);
    crate::merge_patch::add_patch_schemas(&mut api);
    crate::contract::state_common_rules(&mut api);
    crate::webhooks::openapi::add_webhooks(&mut api);
    api
}

/// The document as YAML, the form committed at the repository root.
pub fn yaml() -> String {
    document().to_yaml().unwrap_or_default()
}

/// Which methods each path accepts, to answer 405 with `Allow` for the others.
#[derive(Debug)]
pub struct RouteTable(Vec<Route>);

/// A path of the document: the methods it accepts and those of them that take a token.
#[derive(Debug)]
struct Route {
    path: ResourceDef,
    methods: Vec<Method>,
    with_token: Vec<Method>,
}

/// `methods`, with `HEAD` after `GET` when it has `GET`: `HEAD` is served wherever `GET` is.
fn with_head(mut methods: Vec<Method>) -> Vec<Method> {
    if let Some(i) = methods.iter().position(|m| *m == Method::GET) {
        methods.insert(i + 1, Method::HEAD);
    }
    methods
}

/// Paths served outside the document (the docs UI and the document itself).
const UNDOCUMENTED_GET_PATHS: &[&str] = &["/docs", "/docs/{_:.*}", "/api/v1/openapi.json"];

impl RouteTable {
    /// Builds the table from the document.
    pub fn from_document(api: &openapi::OpenApi) -> Self {
        let mut routes: Vec<Route> = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let operations = [
                    (Method::GET, &item.get),
                    (Method::PUT, &item.put),
                    (Method::POST, &item.post),
                    (Method::DELETE, &item.delete),
                    (Method::PATCH, &item.patch),
                ];
                let present = || {
                    operations
                        .iter()
                        .filter_map(|(m, op)| op.as_ref().map(|op| (m.clone(), op)))
                };
                Route {
                    path: ResourceDef::new(path.as_str()),
                    methods: with_head(present().map(|(m, _)| m).collect()),
                    with_token: with_head(
                        present()
                            .filter(|(_, op)| takes_token(op))
                            .map(|(m, _)| m)
                            .collect(),
                    ),
                }
            })
            .collect();
        routes.extend(UNDOCUMENTED_GET_PATHS.iter().map(|p| Route {
            path: ResourceDef::new(*p),
            methods: vec![Method::GET, Method::HEAD],
            with_token: Vec::new(),
        }));
        RouteTable(routes)
    }

    fn route(&self, path: &str) -> Option<&Route> {
        self.0.iter().find(|route| route.path.is_match(path))
    }

    /// Whether `method path` is an operation that takes an access token.
    pub fn takes_token(&self, method: &Method, path: &str) -> bool {
        self.route(path)
            .is_some_and(|route| route.with_token.contains(method))
    }

    /// The methods `path` accepts, or `None` when no route has this path.
    pub fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.route(path).map(|route| route.methods.as_slice())
    }
}
