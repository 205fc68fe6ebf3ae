/// The committed document is what the code generates; CI fails on drift.
#[test]
fn committed_openapi_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = motcua::api_doc::openapi_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date; regenerate it with\n    cargo run -- openapi > openapi/openapi.json"
    );
}

#[test]
fn document_has_info_license_and_bearer_scheme() {
    let doc: serde_json::Value = serde_json::from_str(&motcua::api_doc::openapi_json()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(!doc["info"]["license"]["name"].as_str().unwrap_or_default().is_empty());
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(doc["paths"]["/healthz"]["get"].is_object());
}

/// Every `$ref` in the document names a component that exists: generated clients and fuzzers
/// reject a dangling one (an enum used only in a query parameter is not collected by itself).
#[test]
fn every_reference_resolves() {
    fn walk(value: &serde_json::Value, doc: &serde_json::Value, missing: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(target)) = map.get("$ref") {
                    let pointer = target.trim_start_matches('#');
                    if doc.pointer(pointer).is_none() {
                        missing.push(target.clone());
                    }
                }
                map.values().for_each(|v| walk(v, doc, missing));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, doc, missing)),
            _ => {}
        }
    }
    let doc: serde_json::Value = serde_json::from_str(&motcua::api_doc::openapi_json()).unwrap();
    let mut missing = Vec::new();
    walk(&doc, &doc, &mut missing);
    assert!(missing.is_empty(), "dangling references: {missing:?}");
}

/// The operations of the document, as (method path, operation).
fn operations(doc: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            ops.push((format!("{} {path}", method.to_uppercase()), op.clone()));
        }
    }
    ops
}

/// What generated clients and Swagger UI rely on, for every operation: a unique id named
/// `<tag>_<action>`, a summary and a description, a description of every parameter and response, one
/// tag, a declared security (the bearer token, or none, `[]`, for a public one) and its client errors
/// documented as problem documents. `.ci/clients.sh` lints the same with Redocly.
#[test]
fn every_operation_is_named_tagged_secured_and_documents_its_errors() {
    let doc: serde_json::Value = serde_json::from_str(&motcua::api_doc::openapi_json()).unwrap();
    let mut ids = std::collections::HashSet::new();
    for (name, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_default();
        assert!(
            !id.is_empty() && ids.insert(id.to_owned()),
            "{name}: missing or repeated operationId {id:?}"
        );
        assert!(!op["summary"].as_str().unwrap_or_default().is_empty(), "{name}: no summary");
        assert_eq!(op["tags"].as_array().map(Vec::len), Some(1), "{name}: not exactly one tag");
        let slice = op["tags"][0].as_str().unwrap_or_default().replace('-', "_");
        assert!(id.starts_with(&format!("{slice}_")), "{name}: operationId {id:?} is not {slice}_<action>");
        assert!(!op["description"].as_str().unwrap_or_default().is_empty(), "{name}: no description");
        for parameter in op["parameters"].as_array().into_iter().flatten() {
            let described = !parameter["description"].as_str().unwrap_or_default().is_empty();
            assert!(described, "{name}: parameter {} has no description", parameter["name"]);
        }
        let security = op["security"].as_array().unwrap_or_else(|| panic!("{name}: no security"));
        assert!(
            security.is_empty() || security == &[serde_json::json!({"bearer": []})],
            "{name}: security is {security:?}"
        );
        let responses = op["responses"].as_object().unwrap();
        for (status, response) in responses {
            let described = response.get("$ref").is_some()
                || !response["description"].as_str().unwrap_or_default().is_empty();
            assert!(described, "{name}: response {status} has no description");
        }
        let client_errors: Vec<_> = responses.iter().filter(|(status, _)| status.starts_with('4')).collect();
        assert!(!client_errors.is_empty(), "{name}: no 4xx response");
        for (status, response) in client_errors {
            let response = match response["$ref"].as_str() {
                Some(target) => doc.pointer(target.trim_start_matches('#')).unwrap(),
                None => response,
            };
            assert!(
                response["content"]["application/problem+json"].is_object(),
                "{name}: {status} is not a problem document"
            );
        }
    }
    assert!(doc["servers"].as_array().is_some_and(|s| !s.is_empty()), "no servers");
}

/// Every JSON request body carries an example, on the operation or on its schema, so that Swagger
/// UI's "Try it out" starts from a plausible request (Redocly checks each against its schema).
#[test]
fn every_json_request_body_has_an_example() {
    let doc: serde_json::Value = serde_json::from_str(&motcua::api_doc::openapi_json()).unwrap();
    let mut missing = Vec::new();
    for (name, op) in operations(&doc) {
        let media = &op["requestBody"]["content"]["application/json"];
        if media.is_null() {
            continue;
        }
        let schema = match media["schema"]["$ref"].as_str() {
            Some(target) => doc.pointer(target.trim_start_matches('#')).unwrap(),
            None => &media["schema"],
        };
        let has = |v: &serde_json::Value| v.get("example").is_some() || v.get("examples").is_some();
        if !has(media) && !has(schema) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "request bodies without an example: {missing:?}");
}
