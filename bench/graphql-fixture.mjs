// A realistic Zoho CRM GraphQL query (records with lookups and subforms, fragments,
// variables; shaped like Zoho's query-records examples) and a schema that types it,
// for bench/graphql.mjs. The query is 150 lines.

export const QUERY = `# Sales dashboard: open deals with their account, contacts and line items.
query SalesDashboard(
  $dealLimit: Int = 50
  $leadLimit: Int
  $stage: String!
  $minAmount: Float
  $since: String
) {
  Records {
    Deals(
      limit: $dealLimit
      where: {
        and: [
          { Stage: { equals: $stage } }
          { Amount: { greater_equal: $minAmount } }
          { Modified_Time: { greater_than: $since } }
        ]
      }
    ) {
      _data {
        ...DealCore
        Account_Name {
          ...AccountCore
          Parent_Account {
            id { value }
            Account_Name { value }
          }
        }
        Contact_Name {
          ...ContactCore
        }
        Owner {
          ...UserCore
        }
        Products__r(limit: 10) {
          _data {
            id { value }
            Product_Name { value }
            Quantity { value }
            Unit_Price { value }
            Parent_Id {
              id { value }
            }
          }
        }
      }
      _info {
        count
        more_records
      }
    }
    Leads(
      limit: $leadLimit
      where: {
        or: [
          { Lead_Status: { equals: "Contacted" } }
          { Lead_Source: { in: ["Web", "Partner"] } }
        ]
      }
    ) {
      _data {
        id { value }
        Full_Name { value }
        Email { value }
        Company { value }
        Lead_Status { value }
        Lead_Source { value }
        Annual_Revenue { value }
        Phone { value }
        Mobile { value }
        Website { value }
        Industry { value }
        Rating { value }
        City { value }
        State { value }
        Country { value }
        Zip_Code { value }
        Description { value }
        Owner {
          ...UserCore
        }
        Subform_1__r {
          _data {
            id { value }
            Line_Item { value }
            Parent_Id {
              Email { value }
              Company { value }
            }
          }
        }
      }
      _info {
        count
        more_records
      }
    }
    Accounts(limit: 20) {
      _data {
        ...AccountCore
        Billing_City { value }
        Billing_Country { value }
        ... on Accounts__data {
          Industry { value }
          Employees { value }
        }
      }
    }
  }
}

fragment DealCore on Deals__data {
  id { value }
  Deal_Name { value }
  Stage { value }
  Amount { value }
  Closing_Date { value }
  Probability { value }
  Expected_Revenue { value }
  Lead_Source { value }
  Type { value }
  Next_Step { value }
  Description { value }
  Created_Time { value }
  Modified_Time { value }
}

fragment AccountCore on Accounts__data {
  id { value }
  Account_Name { value }
  Phone { value }
  Website { value }
  Account_Type { value }
  Rating { value }
}

fragment ContactCore on Contacts__data {
  id { value }
  Full_Name { value }
  Email { value }
  Phone { value }
  Title { value }
  Mailing_City { value }
}

fragment UserCore on Users__data {
  id { value }
  full_name { value }
  email { value }
}
`;

export const VARIABLES = { dealLimit: 50, leadLimit: 25, stage: 'Negotiation', minAmount: 1000, since: '2026-01-01T00:00:00Z' };

const v = (names, type = '_Value') => names.map((n) => `  ${n}: ${type}`).join('\n');

export const SCHEMA = `
type _Value { value: String }
type _Info { count: Int more_records: Boolean }
input _StringOperators { equals: String in: [String] }
input _FloatOperators { greater_equal: Float }
input _DateOperators { greater_than: String }
input Deals__Filter { and: [Deals__Filter] or: [Deals__Filter] Stage: _StringOperators Amount: _FloatOperators Modified_Time: _DateOperators }
input Leads__Filter { and: [Leads__Filter] or: [Leads__Filter] Lead_Status: _StringOperators Lead_Source: _StringOperators }
input Accounts__Filter { and: [Accounts__Filter] or: [Accounts__Filter] Account_Name: _StringOperators }
type Users__data {
${v(['id', 'full_name', 'email'])}
}
type Contacts__data {
${v(['id', 'Full_Name', 'Email', 'Phone', 'Title', 'Mailing_City'])}
}
type Accounts__data {
${v(['id', 'Account_Name', 'Phone', 'Website', 'Account_Type', 'Rating', 'Billing_City', 'Billing_Country', 'Industry', 'Employees'])}
  Parent_Account: Accounts__data
}
type Deals__data {
${v(['id', 'Deal_Name', 'Stage', 'Amount', 'Closing_Date', 'Probability', 'Expected_Revenue', 'Lead_Source', 'Type', 'Next_Step', 'Description', 'Created_Time', 'Modified_Time'])}
  Account_Name: Accounts__data
  Contact_Name: Contacts__data
  Owner: Users__data
  Products__r(limit: Int): Deal_Products__Connection
}
type Deal_Products__data {
${v(['id', 'Product_Name', 'Quantity', 'Unit_Price'])}
  Parent_Id: Deals__data
}
type Deal_Products__Connection { _data: [Deal_Products__data] _info: _Info }
type Leads__data {
${v(['id', 'Full_Name', 'Email', 'Company', 'Lead_Status', 'Lead_Source', 'Annual_Revenue', 'Phone', 'Mobile', 'Website', 'Industry', 'Rating', 'City', 'State', 'Country', 'Zip_Code', 'Description'])}
  Owner: Users__data
  Subform_1__r(limit: Int): Subform_1__Connection
}
type Subform_1__data {
${v(['id', 'Line_Item'])}
  Parent_Id: Leads__data
}
type Subform_1__Connection { _data: [Subform_1__data] _info: _Info }
type Deals__Connection { _data: [Deals__data] _info: _Info }
type Leads__Connection { _data: [Leads__data] _info: _Info }
type Accounts__Connection { _data: [Accounts__data] _info: _Info }
type _Records {
  Deals(offset: String, limit: Int, where: Deals__Filter): Deals__Connection
  Leads(offset: String, limit: Int, where: Leads__Filter): Leads__Connection
  Accounts(offset: String, limit: Int, where: Accounts__Filter): Accounts__Connection
}
type Query { Records: _Records }
`;
