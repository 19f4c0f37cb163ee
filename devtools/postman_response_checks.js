// After every request: the answer has the shape the OpenAPI document gives for its
// operation and status (RESPONSES and SCHEMAS above come from the document). Each
// request then checks its own status and values.
const code = pm.response.code;
const method = pm.request.method;
const basePath = pm.variables.replaceIn("{{base_url}}").replace(/^[a-z]+:\/\/[^\/]*/i, "").replace(/\/+$/, "");
let path = pm.variables.replaceIn(pm.request.url.getPath());
if (basePath && path.startsWith(basePath)) path = path.slice(basePath.length) || "/";
const operation = Object.keys(RESPONSES).find((key) => {
    const [verb, template] = key.split(" ");
    return verb === method && new RegExp("^" + template.replace(/\{[^}]+\}/g, "[^/]+") + "$").test(path);
});
const documented = operation ? RESPONSES[operation] : {};
const shape = (name) => Object.assign({ definitions: SCHEMAS }, SCHEMAS[name]);

if (!NOT_JSON.includes(path)) {
    pm.test("answers JSON", () => {
        pm.expect(pm.response.headers.get("Content-Type") || "").to.match(/^application\/json\b/);
    });
}
if (operation) {
    pm.test(operation + ": " + code + " is a documented answer", () => {
        pm.expect(documented).to.have.property(String(code));
    });
}
if (code >= 400) {
    pm.test(code + ": the documented error shape, error = status", () => {
        pm.response.to.have.jsonSchema(shape(documented[code] || UNDOCUMENTED_ERROR));
        const body = pm.response.json();
        pm.expect(body.error).to.eql(code);
        pm.expect(body.message).to.be.a("string").that.is.not.empty;
    });
    if (code === 401) {
        pm.test("401: WWW-Authenticate: Bearer", () => {
            pm.expect(pm.response.headers.get("WWW-Authenticate") || "").to.match(/^Bearer\b/);
        });
    }
    if (code === 403) {
        pm.test('403: WWW-Authenticate: Bearer error="insufficient_scope"', () => {
            pm.expect(pm.response.headers.get("WWW-Authenticate") || "").to.include('error="insufficient_scope"');
        });
    }
} else if (documented[code]) {
    pm.test(operation + ": the documented shape", () => pm.response.to.have.jsonSchema(shape(documented[code])));
}
