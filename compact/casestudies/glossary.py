"""Common NHS, health and care, local government and VCSE acronyms, with what they stand for.

The readability checks use this list to spell out the first use of an acronym in a case study, so
readers outside the NHS can follow it. The meanings are the ones in general use across the NHS and
English local government; partnerships may add their own local terms later."""

GLOSSARY: dict[str, str] = {
    # The NHS and how it is organised
    "ICS": "Integrated Care System",
    "ICB": "Integrated Care Board",
    "ICP": "Integrated Care Partnership",
    "PCN": "Primary Care Network",
    "CCG": "Clinical Commissioning Group",
    "STP": "Sustainability and Transformation Partnership",
    "LMC": "Local Medical Committee",
    "PPG": "Patient Participation Group",
    "A&E": "Accident and Emergency",
    "ED": "Emergency Department",
    "MDT": "Multidisciplinary team",
    "ARRS": "Additional Roles Reimbursement Scheme",
    "QOF": "Quality and Outcomes Framework",
    "CAMHS": "Child and Adolescent Mental Health Services",
    "IAPT": "Improving Access to Psychological Therapies",
    # National bodies
    "DHSC": "Department of Health and Social Care",
    "CQC": "Care Quality Commission",
    "NICE": "National Institute for Health and Care Excellence",
    "NIHR": "National Institute for Health and Care Research",
    "OHID": "Office for Health Improvement and Disparities",
    "UKHSA": "UK Health Security Agency",
    "ONS": "Office for National Statistics",
    "DWP": "Department for Work and Pensions",
    "MHCLG": "Ministry of Housing, Communities and Local Government",
    "LGA": "Local Government Association",
    # Health and care terms
    "PHM": "Population health management",
    "LTC": "Long-term condition",
    "SMI": "Severe mental illness",
    "COPD": "Chronic obstructive pulmonary disease",
    "CVD": "Cardiovascular disease",
    "CYP": "Children and young people",
    "SEND": "Special educational needs and disabilities",
    "ASC": "Adult social care",
    "SPLW": "Social prescribing link worker",
    "PPI": "Patient and public involvement",
    "PROM": "Patient-reported outcome measure",
    # Local government and place
    "LA": "Local authority",
    "HWB": "Health and Wellbeing Board",
    "JSNA": "Joint Strategic Needs Assessment",
    "JHWS": "Joint Health and Wellbeing Strategy",
    "LSOA": "Lower layer Super Output Area",
    "IMD": "Index of Multiple Deprivation",
    "UKSPF": "UK Shared Prosperity Fund",
    # The voluntary, community and social enterprise sector
    "VCSE": "Voluntary, community and social enterprise",
    "VCFSE": "Voluntary, community, faith and social enterprise",
    "VCS": "Voluntary and community sector",
    "CVS": "Council for Voluntary Service",
    "CIC": "Community Interest Company",
    "CIO": "Charitable Incorporated Organisation",
    # Running a project
    "KPI": "Key performance indicator",
    "MoU": "Memorandum of understanding",
    "SLA": "Service level agreement",
    "FTE": "Full-time equivalent",
    "QI": "Quality improvement",
    "EDI": "Equality, diversity and inclusion",
    "DPIA": "Data protection impact assessment",
    "GDPR": "General Data Protection Regulation",
    "SROI": "Social return on investment",
}

# Known to nearly every reader: never flagged and never spelled out.
# GOV.UK style: NHS and GP need no spelling out.
WELL_KNOWN: frozenset[str] = frozenset({"NHS", "GP", "UK", "COVID", "OK", "TV", "PDF", "URL", "ID", "BBC"})
