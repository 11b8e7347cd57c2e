// The fields-metadata fixture the simulator validates against and serves at
// GET /crm/v8/settings/fields?module=X, in Zoho's `{"fields":[...]}` shape (sources §9).
// Mandatory fields follow V7DOC insert-records; lengths follow Zoho's samples (sources §9).

let nextId = 1;

/**
 * One field in Zoho's metadata shape, with only the keys validation reads plus the usual flags.
 * @param {string} apiName
 * @param {string} dataType Zoho `data_type`
 * @param {{ jsonType?: string, length?: number, mandatory?: boolean, unique?: boolean,
 *   decimalPlace?: number|null, picklist?: string[], textarea?: string, readOnly?: boolean }} [o]
 */
function field(apiName, dataType, o = {}) {
  const jsonType =
    o.jsonType ??
    ({ integer: 'integer', bigint: 'string', double: 'double', currency: 'double', percent: 'double',
      boolean: 'boolean', lookup: 'jsonobject', ownerlookup: 'jsonobject', multiselectpicklist: 'jsonarray' }[
      dataType
    ] ?? 'string');
  const id = String(5725767000000000000n + BigInt(nextId++));
  return {
    api_name: apiName,
    id,
    field_label: apiName.replace(/_/g, ' '),
    display_label: apiName.replace(/_/g, ' '),
    data_type: dataType,
    json_type: jsonType,
    system_mandatory: o.mandatory === true,
    length: o.length ?? (dataType === 'email' ? 100 : dataType === 'phone' ? 30 : 255),
    decimal_place: o.decimalPlace ?? null,
    unique: o.unique ? { case_sensitive: false } : {},
    pick_list_values: (o.picklist ?? []).map((v, i) => ({
      display_value: v, actual_value: v, reference_value: v, sequence_number: i + 1,
      colour_code: null, id: String(5725767000000100000n + BigInt(i)), type: 'used',
    })),
    read_only: o.readOnly === true,
    field_read_only: o.readOnly === true,
    visible: true,
    custom_field: false,
    virtual_field: false,
    searchable: true,
    sortable: true,
    mass_update: false,
    textarea: o.textarea ? { type: o.textarea } : null,
    lookup: {},
    operation_type: { web_update: true, api_create: !o.readOnly, web_create: true, api_update: !o.readOnly },
  };
}

const LEAD_STATUS = ['Not Contacted', 'Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead'];

/**
 * Default metadata per module. Leads' Email is the system duplicate-check field for upsert
 * (sources §3) but not unique: Zoho leaves "Do not allow duplicate values" off by default, so
 * two leads may share an e-mail. `uniqueFields` (the simulator option) turns it on.
 */
export function defaultFieldsMetadata() {
  nextId = 1;
  return {
    Leads: [
      field('Last_Name', 'text', { length: 80, mandatory: true }),
      field('First_Name', 'text', { length: 40 }),
      field('Company', 'text', { length: 200 }),
      field('Email', 'email'),
      field('Phone', 'phone'),
      field('Lead_Status', 'picklist', { picklist: LEAD_STATUS }),
      field('Annual_Revenue', 'currency', { length: 16, decimalPlace: 2 }),
      field('No_of_Employees', 'integer', { length: 9 }),
      field('Email_Opt_Out', 'boolean'),
      field('Description', 'textarea', { length: 32000, textarea: 'large' }),
      field('Website', 'website'),
      field('Birth_Date', 'date'),
      field('Last_Activity_Time', 'datetime', { readOnly: true }),
      field('Owner', 'ownerlookup', { length: 120 }),
    ],
    Contacts: [
      field('Last_Name', 'text', { length: 80, mandatory: true }),
      field('First_Name', 'text', { length: 40 }),
      field('Email', 'email', { unique: true }),
      field('Phone', 'phone'),
      field('Account_Name', 'lookup'),
      field('Owner', 'ownerlookup', { length: 120 }),
    ],
    Accounts: [
      field('Account_Name', 'text', { length: 200, mandatory: true, unique: true }),
      field('Phone', 'phone'),
      field('Website', 'website'),
      field('Owner', 'ownerlookup', { length: 120 }),
    ],
    Deals: [
      field('Deal_Name', 'text', { length: 120, mandatory: true }),
      field('Stage', 'picklist', { mandatory: true, picklist: ['Qualification', 'Needs Analysis', 'Closed Won', 'Closed Lost'] }),
      field('Amount', 'currency', { length: 16, decimalPlace: 2 }),
      field('Closing_Date', 'date'),
      field('Account_Name', 'lookup'),
      field('Owner', 'ownerlookup', { length: 120 }),
    ],
  };
}

/** The system duplicate-check field per module for upsert (sources §3, V7DOC upsert). */
export const DUPLICATE_CHECK_FIELDS = {
  Leads: 'Email', Accounts: 'Account_Name', Contacts: 'Email', Deals: 'Deal_Name',
};

/**
 * The metadata with each listed module's unique fields replaced by `uniqueFields[module]`
 * (server uniqueness on: `{ Leads: ['Email'] }`; off: `{ Leads: [] }`). Other modules unchanged.
 * @param {Record<string, any[]>} fields @param {Record<string, string[]> | undefined} uniqueFields
 */
export function withUniqueFields(fields, uniqueFields) {
  if (!uniqueFields) return fields;
  const out = { ...fields };
  for (const [module, names] of Object.entries(uniqueFields)) {
    if (!out[module]) throw new TypeError(`uniqueFields: unknown module ${module}`);
    const known = new Set(out[module].map((f) => f.api_name));
    for (const n of names) if (!known.has(n)) throw new TypeError(`uniqueFields: unknown field ${module}.${n}`);
    out[module] = out[module].map((f) => ({ ...f, unique: names.includes(f.api_name) ? { case_sensitive: false } : {} }));
  }
  return out;
}
