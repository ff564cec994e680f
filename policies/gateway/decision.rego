# The gateway's decision for one request: allow, reasons and obligations (entrypoint data.gateway.decision).
package gateway

import rego.v1

default decision := {
	"allow": false,
	"reasons": [{
		"code": "DENY_DEFAULT",
		"message": "No rule allowed this request.",
		"citation": "Gateway rule G-1: default deny",
	}],
	"obligations": null,
}

decision := {"allow": true, "reasons": [allow_reason], "obligations": obligations} if allow

decision := {"allow": false, "reasons": deny_reasons, "obligations": null} if {
	not allow
	count(deny) > 0
}

default allow := false

allow if {
	count(deny) == 0
	allow_reason.code # not the bare object, which rego-cpp would copy to test
}

# Deny reasons ordered by code so that the same request always gets the same answer.
deny_reasons := [r | some code in sorted({c.code | some c in deny}); some r in deny; r.code == code]

reason(code, message, citation) := {"code": code, "message": message, "citation": citation}

allow_reason := reason(
	"ALLOW_AGREEMENT",
	sprintf("Allowed under agreement %v (%v) for the purpose %v.", [agreement_id, agreement.title, purpose]),
	legal_gateway.citation,
) if {
	needs_agreement
	has_legal_gateway
}

allow_reason := reason(
	"ALLOW_SELF_SERVICE",
	"Any authenticated caller may ask how the gateway would decide its own requests.",
	"Gateway rule G-3: explainable decisions (UK GDPR Art. 5(1)(a) transparency)",
) if {
	action_def.kind == "self-service"
	count(permitting_roles) > 0
}

allow_reason := reason(
	"ALLOW_ROLE",
	sprintf("The role %v may administer the policy bundle.", [joined(sorted(permitting_roles))]),
	"Gateway rule G-2: policy administration by named DfE staff",
) if {
	action_def.kind == "administration"
	count(permitting_roles) > 0
}

obligations := {
	"agreement": agreement_id,
	"legal_gateway": legal_gateway.citation,
	"purpose": purpose,
	"fields": released_fields,
	"row_filter": row_filter,
	"granularity": released_granularity,
	"pseudonym_domain": agreement.pseudonym_domain,
	"pseudonym_method": agreement.pseudonym_method,
	"generalisations": agreement.generalisations,
	"disclosure_profile": disclosure_profile,
	"row_cap": agreement.row_cap,
	"reason_required": agreement.reason_required,
} if needs_agreement

obligations := {
	"agreement": null,
	"legal_gateway": null,
	"purpose": null,
	"fields": [],
	"row_filter": {"la_codes": null, "urns": null, "organisations": null},
	"granularity": null,
	"pseudonym_domain": null,
	"pseudonym_method": null,
	"generalisations": {},
	"disclosure_profile": null,
	"row_cap": null,
	"reason_required": false,
} if not needs_agreement

# Requested fields; a record request that names none gets every field of its agreement.
released_fields := sorted(requested_fields) if is_set(requested_fields)

released_fields := sort(agreement.fields) if not is_set(requested_fields)

# Aggregate actions release aggregates whatever the agreement would allow; record actions release
# records at the agreement's granularity.
released_granularity := "aggregate" if action_def.granularity == "aggregate"

released_granularity := agreement.granularity if action_def.granularity != "aggregate"

disclosure_profile := data.data.disclosure_profiles[agreement.disclosure_profile] if {
	is_string(agreement.disclosure_profile)
}

disclosure_profile := null if not is_string(agreement.disclosure_profile)

# A list as text. trim_space makes rego-cpp hand sprintf a plain string (it otherwise keeps the JSON
# quotes of input-derived strings joined by concat); OPA gives the same text.
joined(xs) := trim_space(concat(", ", xs))

# A set as a sorted array. rego-cpp's sort() of a set does not give an array (it compares unequal to
# one), so the set is turned into an array first; OPA gives the same result either way.
sorted(s) := sort([x | some x in s])
