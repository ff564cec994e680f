# Tests for checks.rego: each condition of a data request (agreement, validity, purpose, fields, reason, role, granularity).
# Each test_* rule decides its input, inputs.<test name>, and asserts the whole decision.
package gateway_test

import rego.v1

import data.gateway

inputs.test_deny_expired_home_office_agreement := {
	"principal": {
		"subject": "tester@home-office",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "home-office",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "immigration-enforcement",
	"agreement": "home-office-2016",
	"reason": "Matching request batch 2026-01",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "extract",
		"fields": [
			"upn",
			"forename",
			"surname"
		],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_expired_home_office_agreement if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Data Protection Act 1998 s.29 (crime and taxation exemption; repealed 25 May 2018)",
				"code": "DENY_AGREEMENT_EXPIRED",
				"message": "The agreement home-office-2016 ended on 2018-05-24."
			}
		]
	} with input as inputs.test_deny_expired_home_office_agreement
}

inputs.test_deny_purpose_not_permitted := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "attendance.summary",
	"purpose": "fraud-investigation",
	"agreement": "dwp-dea-s35",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "attendance_aggregate",
		"fields": [],
		"level": "la",
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_purpose_not_permitted if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(b) purpose limitation",
				"code": "DENY_PURPOSE_NOT_PERMITTED",
				"message": "The purpose fraud-investigation is not one the agreement dwp-dea-s35 allows (multiple-disadvantages)."
			}
		]
	} with input as inputs.test_deny_purpose_not_permitted
}

inputs.test_deny_field_outside_agreement := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "multiple-disadvantages",
	"agreement": "dwp-dea-s35",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "extract",
		"fields": [
			"pupil_ref",
			"upn",
			"surname",
			"absence_rate"
		],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_field_outside_agreement if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation",
				"code": "DENY_FIELD_OUTSIDE_AGREEMENT",
				"message": "The fields surname, upn are outside the agreement dwp-dea-s35."
			}
		]
	} with input as inputs.test_deny_field_outside_agreement
}

inputs.test_deny_reason_required := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"attendance-officer"
		],
		"scope": {
			"la_code": 202,
			"urn": null
		}
	},
	"action": "pupils.list",
	"purpose": "attendance-support",
	"agreement": "la-attendance-support",
	"reason": "  too short ",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [],
		"level": "la",
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_reason_required if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208); Working together to improve school attendance (statutory guidance, 2024)",
				"code": "DENY_REASON_REQUIRED",
				"message": "The agreement requires a reason for access of at least 10 characters (reason)."
			}
		]
	} with input as inputs.test_deny_reason_required
}

inputs.test_deny_no_agreement_named := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"safeguarding-officer"
		],
		"scope": {
			"la_code": 202,
			"urn": null
		}
	},
	"action": "pupils.list",
	"purpose": "child-protection-enquiry",
	"agreement": null,
	"reason": "Section 47 enquiry, case ref CP-2026-0112",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_no_agreement_named if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(2) accountability: every share rests on a recorded data-sharing agreement",
				"code": "DENY_NO_AGREEMENT",
				"message": "A data request must name its data-sharing agreement (agreement)."
			}
		]
	} with input as inputs.test_deny_no_agreement_named
}

inputs.test_deny_role_cannot_perform_action := {
	"principal": {
		"subject": "tester@ons-srs",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "ons-srs",
		"organisation_type": "ogd",
		"roles": [
			"researcher"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "pupils.list",
	"purpose": "public-good-research",
	"agreement": "srs-research-p2025-017",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_role_cannot_perform_action if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Digital Economy Act 2017 s.64 (research; accredited processor, researcher and project)",
				"code": "DENY_ACTION_NOT_COVERED",
				"message": "The agreement srs-research-p2025-017 does not cover pupils.list."
			},
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation",
				"code": "DENY_GRANULARITY",
				"message": "pupils.list needs identifiable data; the agreement srs-research-p2025-017 allows at most deidentified."
			},
			{
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)",
				"code": "DENY_ROLE",
				"message": "None of the roles researcher of this ogd principal may perform pupils.list."
			}
		]
	} with input as inputs.test_deny_role_cannot_perform_action
}

inputs.test_deny_agreement_not_held := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "public-good-research",
	"agreement": "srs-research-p2025-017",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "extract",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_agreement_not_held if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Digital Economy Act 2017 s.64 (research; accredited processor, researcher and project)",
				"code": "DENY_AGREEMENT_NOT_HELD",
				"message": "The agreement srs-research-p2025-017 is not held by dwp (ogd)."
			},
			{
				"citation": "Digital Economy Act 2017 s.64 (research; accredited processor, researcher and project)",
				"code": "DENY_ROLE_NOT_IN_AGREEMENT",
				"message": "The agreement srs-research-p2025-017 is not for any of the roles analyst."
			}
		]
	} with input as inputs.test_deny_agreement_not_held
}

inputs.test_allow_research_extract_with_generalisations := {
	"principal": {
		"subject": "tester@ons-srs",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "ons-srs",
		"organisation_type": "ogd",
		"roles": [
			"researcher"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "public-good-research",
	"agreement": "srs-research-p2025-017",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "extract",
		"fields": [
			"pupil_ref",
			"date_of_birth",
			"ethnicity",
			"absence_rate"
		],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_research_extract_with_generalisations if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "srs-research-p2025-017",
			"disclosure_profile": {
				"cell_key": true,
				"dominance": {
					"k": 0.9,
					"n": 2
				},
				"exact_own_figures": [],
				"min_comparator_schools": 3,
				"name": "research",
				"ptable": "ckm-t10-d10-v3-r1",
				"query_space": {
					"breakdowns": {
						"la": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"national": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"region": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						],
						"school": [
							"fsm",
							"sen",
							"sex",
							"ethnicity",
							"year_group"
						]
					},
					"ledger": true,
					"min_population": 10,
					"periods": [
						"week",
						"month",
						"half_term",
						"term",
						"year_to_date"
					]
				},
				"rate_decimals": 1,
				"round_to": null,
				"secondary": true,
				"threshold": 10,
				"totals": "round_independently",
				"zeros_disclosive": true
			},
			"fields": [
				"absence_rate",
				"date_of_birth",
				"ethnicity",
				"pupil_ref"
			],
			"generalisations": {
				"date_of_birth": "month",
				"ethnicity": "major"
			},
			"granularity": "deidentified",
			"legal_gateway": "Digital Economy Act 2017 s.64 (research; accredited processor, researcher and project)",
			"pseudonym_domain": "srs-p2025-017",
			"pseudonym_method": "hmac",
			"purpose": "public-good-research",
			"reason_required": false,
			"write_scope": null,
			"row_cap": 250000,
			"row_filter": {
				"la_codes": null,
				"organisations": null,
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "Digital Economy Act 2017 s.64 (research; accredited processor, researcher and project)",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement srs-research-p2025-017 (Accredited research project 2025/017: attendance and disadvantage (ONS Secure Research Service)) for the purpose public-good-research."
			}
		]
	} with input as inputs.test_allow_research_extract_with_generalisations
}

inputs.test_allow_dpo_agreement_chosen_when_not_named := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"dpo"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "audit.search",
	"purpose": null,
	"agreement": null,
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "audit",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_dpo_agreement_chosen_when_not_named if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "dpo-oversight-dfe",
			"disclosure_profile": null,
			"fields": [
				"audit_checkpoints",
				"audit_events",
				"audit_proofs",
				"upn"
			],
			"generalisations": {},
			"granularity": "pseudonymised",
			"legal_gateway": "UK GDPR Art. 5(2) accountability, Art. 30 records of processing, Art. 38-39 data protection officer; DPA 2018 s.69-71",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"purpose": "audit-oversight",
			"reason_required": false,
			"write_scope": null,
			"row_cap": 100000,
			"row_filter": {
				"la_codes": null,
				"organisations": null,
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(2) accountability, Art. 30 records of processing, Art. 38-39 data protection officer; DPA 2018 s.69-71",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement dpo-oversight-dfe (DfE data protection officer: oversight of every access in the audit log) for the purpose audit-oversight."
			}
		]
	} with input as inputs.test_allow_dpo_agreement_chosen_when_not_named
}

inputs.test_allow_aggregator_ingest := {
	"principal": {
		"subject": "tester@register-aggregator",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "register-aggregator",
		"organisation_type": "aggregator",
		"roles": [
			"feed-submitter"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "ingest.registers",
	"purpose": null,
	"agreement": null,
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "ingest",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_aggregator_ingest if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "aggregator-collection",
			"disclosure_profile": null,
			"fields": [
				"admission_date",
				"child_in_need",
				"child_protection_plan",
				"date_of_birth",
				"ethnicity",
				"forename",
				"fsm",
				"la_code",
				"leaving_date",
				"looked_after",
				"previously_looked_after",
				"sen_provision",
				"session_marks",
				"sex",
				"surname",
				"upn",
				"urn",
				"year_group"
			],
			"generalisations": {},
			"granularity": "identifiable",
			"legal_gateway": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"purpose": "data-collection",
			"reason_required": false,
			"write_scope": {"la_codes": [202, 330, 352, 383, 873, 886, 908], "urns": []},
			"row_cap": null,
			"row_filter": {
				"la_codes": null,
				"organisations": null,
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "Education Act 1996 s.537A; Education (Information About Individual Pupils) (England) Regulations 2013 as amended 2024; Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement aggregator-collection (Daily register collection from schools' management information systems) for the purpose data-collection."
			}
		]
	} with input as inputs.test_allow_aggregator_ingest
}

inputs.test_allow_dpo_checkpoint_names_no_fields := {
	"principal": {
		"subject": "tester@dfe",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dfe",
		"organisation_type": "dfe",
		"roles": [
			"dpo"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "audit.checkpoint",
	"purpose": null,
	"agreement": null,
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "audit",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_allow_dpo_checkpoint_names_no_fields if {
	gateway.decision == {
		"allow": true,
		"obligations": {
			"agreement": "dpo-oversight-dfe",
			"disclosure_profile": null,
			"fields": [
				"audit_checkpoints",
				"audit_events",
				"audit_proofs",
				"upn"
			],
			"generalisations": {},
			"granularity": "aggregate",
			"legal_gateway": "UK GDPR Art. 5(2) accountability, Art. 30 records of processing, Art. 38-39 data protection officer; DPA 2018 s.69-71",
			"pseudonym_domain": null,
			"pseudonym_method": null,
			"purpose": "audit-oversight",
			"reason_required": false,
			"write_scope": null,
			"row_cap": 100000,
			"row_filter": {
				"la_codes": null,
				"organisations": null,
				"urns": null
			}
		},
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(2) accountability, Art. 30 records of processing, Art. 38-39 data protection officer; DPA 2018 s.69-71",
				"code": "ALLOW_AGREEMENT",
				"message": "Allowed under agreement dpo-oversight-dfe (DfE data protection officer: oversight of every access in the audit log) for the purpose audit-oversight."
			}
		]
	} with input as inputs.test_allow_dpo_checkpoint_names_no_fields
}

inputs.test_deny_granularity_aggregate_agreement_for_records := {
	"principal": {
		"subject": "tester@ons",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "ons",
		"organisation_type": "ogd",
		"roles": [
			"statistician",
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "official-statistics",
	"agreement": "ons-srsa-s45a",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "extract",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_granularity_aggregate_agreement_for_records if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Statistics and Registration Service Act 2007 s.45A",
				"code": "DENY_ACTION_NOT_COVERED",
				"message": "The agreement ons-srsa-s45a does not cover extracts.create."
			},
			{
				"citation": "UK GDPR Art. 5(1)(c) data minimisation",
				"code": "DENY_GRANULARITY",
				"message": "extracts.create needs deidentified data; the agreement ons-srsa-s45a allows at most aggregate."
			},
			{
				"citation": "Statistics and Registration Service Act 2007 s.45A",
				"code": "DENY_ROLE_NOT_IN_AGREEMENT",
				"message": "The agreement ons-srsa-s45a is not for any of the roles analyst."
			}
		]
	} with input as inputs.test_deny_granularity_aggregate_agreement_for_records
}

inputs.test_deny_resource_mismatch := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "multiple-disadvantages",
	"agreement": "dwp-dea-s35",
	"reason": "Case 2026/77 benefit review",
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "pupil_list",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_resource_mismatch if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Gateway rule G-1: default deny",
				"code": "DENY_RESOURCE_MISMATCH",
				"message": "The action extracts.create is about extract; the request names another resource."
			}
		]
	} with input as inputs.test_deny_resource_mismatch
}

inputs.test_deny_invalid_time := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "multiple-disadvantages",
	"agreement": "dwp-dea-s35",
	"reason": null,
	"now": null,
	"request": {
		"resource": "extract",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_invalid_time if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Gateway rule G-1: default deny",
				"code": "DENY_INVALID_INPUT",
				"message": "The decision input has no valid time (now)."
			}
		]
	} with input as inputs.test_deny_invalid_time
}

inputs.test_deny_no_agreement_held_for_ingest := {
	"principal": {
		"subject": "tester@la-202",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "la-202",
		"organisation_type": "la",
		"roles": [
			"attendance-officer"
		],
		"scope": {
			"la_code": 202,
			"urn": null
		}
	},
	"action": "ingest.registers",
	"purpose": null,
	"agreement": null,
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "ingest",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_no_agreement_held_for_ingest if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(2) accountability: every share rests on a recorded data-sharing agreement",
				"code": "DENY_NO_AGREEMENT",
				"message": "No data-sharing agreement held by la-202 covers ingest.registers."
			},
			{
				"citation": "Gateway rule R-1: role-based access (UK GDPR Art. 32 access control)",
				"code": "DENY_ROLE",
				"message": "None of the roles attendance-officer of this la principal may perform ingest.registers."
			}
		]
	} with input as inputs.test_deny_no_agreement_held_for_ingest
}

inputs.test_deny_agreement_not_yet_valid := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "multiple-disadvantages",
	"agreement": "dwp-dea-s35",
	"reason": null,
	"now": "2017-03-01T10:00:00Z",
	"request": {
		"resource": "extract",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_agreement_not_yet_valid if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Digital Economy Act 2017 s.35; Digital Government (Disclosure of Information) Regulations 2018 (SI 2018/912)",
				"code": "DENY_AGREEMENT_NOT_YET_VALID",
				"message": "The agreement dwp-dea-s35 starts on 2025-01-01."
			}
		]
	} with input as inputs.test_deny_agreement_not_yet_valid
}

inputs.test_deny_agreement_without_legal_gateway := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "multiple-disadvantages",
	"agreement": "dwp-dea-s35",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "extract",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_agreement_without_legal_gateway if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(2) accountability: every share rests on a recorded data-sharing agreement",
				"code": "DENY_NO_LEGAL_GATEWAY",
				"message": "The agreement dwp-dea-s35 names no known legal gateway."
			}
		]
	} with input as inputs.test_deny_agreement_without_legal_gateway
		with data.data.agreements["dwp-dea-s35"].legal_gateway as "repealed"
}

inputs.test_deny_requester_outside_legal_gateway := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "dfe",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "multiple-disadvantages",
	"agreement": "dwp-dea-s35",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "extract",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_requester_outside_legal_gateway if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Digital Economy Act 2017 s.35; Digital Government (Disclosure of Information) Regulations 2018 (SI 2018/912)",
				"code": "DENY_AGREEMENT_NOT_HELD",
				"message": "The agreement dwp-dea-s35 is not held by dwp (dfe)."
			},
			{
				"citation": "Digital Economy Act 2017 s.35; Digital Government (Disclosure of Information) Regulations 2018 (SI 2018/912)",
				"code": "DENY_GATEWAY_REQUESTER",
				"message": "Digital Economy Act 2017 does not permit sharing with a dfe organisation."
			}
		]
	} with input as inputs.test_deny_requester_outside_legal_gateway
}

inputs.test_deny_purpose_required := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": null,
	"agreement": "dwp-dea-s35",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "extract",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_purpose_required if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "UK GDPR Art. 5(1)(b) purpose limitation",
				"code": "DENY_PURPOSE_REQUIRED",
				"message": "A data request must state its purpose (purpose)."
			}
		]
	} with input as inputs.test_deny_purpose_required
}

inputs.test_deny_purpose_outside_legal_gateway := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "multiple-disadvantages",
	"agreement": "dwp-dea-s35",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "extract",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_purpose_outside_legal_gateway if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Digital Economy Act 2017 s.35; Digital Government (Disclosure of Information) Regulations 2018 (SI 2018/912)",
				"code": "DENY_PURPOSE_NOT_PERMITTED",
				"message": "Digital Economy Act 2017 does not permit sharing for the purpose multiple-disadvantages."
			}
		]
	} with input as inputs.test_deny_purpose_outside_legal_gateway
		with data.data.legal_gateways["dea2017-s35"].purposes as ["public-service-delivery"]
}

inputs.test_deny_agreement_beyond_legal_gateway := {
	"principal": {
		"subject": "tester@dwp",
		"issuer": "https://dev-issuer.attendance-gateway.local",
		"organisation": "dwp",
		"organisation_type": "ogd",
		"roles": [
			"analyst"
		],
		"scope": {
			"la_code": null,
			"urn": null
		}
	},
	"action": "extracts.create",
	"purpose": "multiple-disadvantages",
	"agreement": "dwp-dea-s35",
	"reason": null,
	"now": "2026-01-12T09:30:00Z",
	"request": {
		"resource": "extract",
		"fields": [],
		"level": null,
		"region": null,
		"la_code": null,
		"urn": null,
		"date_from": null,
		"date_to": null,
		"breakdown": null
	}
}

test_deny_agreement_beyond_legal_gateway if {
	gateway.decision == {
		"allow": false,
		"obligations": null,
		"reasons": [
			{
				"citation": "Digital Economy Act 2017 s.35; Digital Government (Disclosure of Information) Regulations 2018 (SI 2018/912)",
				"code": "DENY_GRANULARITY",
				"message": "The agreement dwp-dea-s35 asks for pseudonymised data; Digital Economy Act 2017 allows at most deidentified."
			}
		]
	} with input as inputs.test_deny_agreement_beyond_legal_gateway
		with data.data.legal_gateways["dea2017-s35"].max_granularity as "deidentified"
}
