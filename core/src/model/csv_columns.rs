//! The CSV column table: which header of a Pipedrive, HubSpot or Salesforce
//! export (or a hand-made sheet) fills which field. Headers are compared
//! without case, spaces or punctuation ("E-mail", "Phone - Mobile",
//! "Zip/Postal Code"); Pipedrive's "Person - " prefix is dropped, and in a
//! file of companies the "Organization - " / "Company " / "Account " ones.

use serde::Serialize;

use super::vcard::PhoneKind;

/// What the rows of a CSV file are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CsvRecords {
    /// People (contacts, persons).
    People,
    /// Companies (organisations, accounts).
    Companies,
}

/// A field a CSV column fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    /// The whole name ("Name": a person's, or a company's in a file of companies).
    Name,
    Given,
    Family,
    /// The person's company.
    Organization,
    Title,
    Phone(PhoneKind),
    Email,
    /// A part of the postal address (street, city, postcode, country);
    /// the parts are joined in column order.
    Address,
    Note,
    Tags,
    Website,
    Industry,
}

impl Field {
    /// The field's name as the mapping shows it.
    pub(super) fn label(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Given => "given",
            Field::Family => "family",
            Field::Organization => "company",
            Field::Title => "title",
            Field::Phone(PhoneKind::Mobile) => "phone (mobile)",
            Field::Phone(PhoneKind::Work) => "phone (work)",
            Field::Phone(PhoneKind::Home) => "phone (home)",
            Field::Phone(PhoneKind::Other) => "phone (other)",
            Field::Email => "email",
            Field::Address => "address",
            Field::Note => "note",
            Field::Tags => "tags",
            Field::Website => "website",
            Field::Industry => "industry",
        }
    }
}

/// A header without case, spaces or punctuation.
fn key(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field of a (normalised) header in a file of people.
fn person_field(k: &str) -> Option<Field> {
    Some(match k {
        "name" | "fullname" | "contactname" | "displayname" => Field::Name,
        "firstname" | "givenname" | "forename" => Field::Given,
        "lastname" | "familyname" | "surname" => Field::Family,
        "organization" | "organisation" | "organizationname" | "organisationname" | "company"
        | "companyname" | "accountname" | "account" => Field::Organization,
        "title" | "jobtitle" | "position" => Field::Title,
        "tags" | "labels" | "label" | "categories" => Field::Tags,
        _ => return common_field(k),
    })
}

/// The field of a (normalised) header in a file of companies.
fn company_field(k: &str) -> Option<Field> {
    Some(match k {
        "name" | "organization" | "organisation" | "company" | "account" => Field::Name,
        "website" | "web" | "url" | "domain" | "domainname" => Field::Website,
        "industry" => Field::Industry,
        _ => return common_field(k),
    })
}

/// Fields of people and companies alike.
fn common_field(k: &str) -> Option<Field> {
    // Salesforce writes the address parts as "Mailing City", "Billing City".
    let k = k
        .strip_prefix("mailing")
        .or_else(|| k.strip_prefix("billing"))
        .unwrap_or(k);
    Some(match k {
        "phone" | "phonenumber" | "workphone" | "businessphone" | "officephone" | "phonework"
        | "telephone" => Field::Phone(PhoneKind::Work),
        "mobile" | "mobilephone" | "mobilephonenumber" | "phonemobile" | "cellphone" | "cell" => {
            Field::Phone(PhoneKind::Mobile)
        }
        "homephone" | "phonehome" => Field::Phone(PhoneKind::Home),
        "otherphone" | "phoneother" => Field::Phone(PhoneKind::Other),
        "email" | "emailaddress" | "emailwork" | "emailhome" | "emailother" | "workemail" => {
            Field::Email
        }
        "address" | "street" | "streetaddress" | "city" | "state" | "stateprovince"
        | "stateregion" | "region" | "zip" | "zipcode" | "postalcode" | "zippostalcode"
        | "postcode" | "country" | "countryregion" => Field::Address,
        "note" | "notes" | "description" => Field::Note,
        _ => return None,
    })
}

/// The field `header` fills in a file of `records`, if any.
pub(super) fn field_for(header: &str, records: CsvRecords) -> Option<Field> {
    let k = key(header);
    match records {
        CsvRecords::People => {
            person_field(&k).or_else(|| k.strip_prefix("person").and_then(person_field))
        }
        CsvRecords::Companies => company_field(&k).or_else(|| {
            ["organization", "organisation", "company", "account"]
                .iter()
                .find_map(|p| k.strip_prefix(p))
                .and_then(company_field)
        }),
    }
}

/// Whether a file with these headers holds people or companies: people when
/// a column is personal (given or family name, title, email) or there are
/// both a name and a company column; companies when there is a company
/// column without a person's name, or a website, industry or address.
pub(super) fn records_of(headers: &[String]) -> CsvRecords {
    let as_people: Vec<Field> = headers
        .iter()
        .filter_map(|h| field_for(h, CsvRecords::People))
        .collect();
    let personal = as_people.iter().any(|f| {
        matches!(
            f,
            Field::Given | Field::Family | Field::Title | Field::Email
        )
    });
    let name = as_people.contains(&Field::Name);
    let org = as_people.contains(&Field::Organization);
    let company_only = headers.iter().any(|h| {
        matches!(
            field_for(h, CsvRecords::Companies),
            Some(Field::Website | Field::Industry | Field::Address)
        )
    });
    if personal || (name && org) {
        CsvRecords::People
    } else if org || company_only {
        CsvRecords::Companies
    } else {
        CsvRecords::People
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_without_case_or_spaces() {
        let p = CsvRecords::People;
        assert_eq!(field_for("First Name", p), Some(Field::Given));
        assert_eq!(field_for("first_name", p), Some(Field::Given));
        assert_eq!(field_for(" E-Mail ", p), Some(Field::Email));
        assert_eq!(field_for("Person - Name", p), Some(Field::Name));
        assert_eq!(
            field_for("Mobile Phone Number", p),
            Some(Field::Phone(PhoneKind::Mobile))
        );
        assert_eq!(
            field_for("Mailing Zip/Postal Code", p),
            Some(Field::Address)
        );
        assert_eq!(field_for("Lead Source", p), None);
        let c = CsvRecords::Companies;
        assert_eq!(field_for("Account Name", c), Some(Field::Name));
        assert_eq!(field_for("Organization - Address", c), Some(Field::Address));
    }

    #[test]
    fn people_or_companies() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            records_of(&h(&["Name", "Organization", "Phone"])),
            CsvRecords::People
        );
        assert_eq!(records_of(&h(&["Name", "Address"])), CsvRecords::Companies);
        assert_eq!(
            records_of(&h(&["Account Name", "Phone", "Website"])),
            CsvRecords::Companies
        );
        assert_eq!(records_of(&h(&["Name", "Phone"])), CsvRecords::People);
    }
}
