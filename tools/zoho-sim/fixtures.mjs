// Record generators shared by the tests, the benches, the soak campaigns and the demo.

/** Leads with unique e-mails; every `invalidEvery`th one (default 50th) lacks its mandatory Last_Name. */
export function makeLeads(n, { invalidEvery = 50, prefix = 'lead' } = {}) {
  return Array.from({ length: n }, (_, i) => {
    const r = { First_Name: `F${i}`, Email: `${prefix}${i}@example.com`, Company: `Co ${i % 97}` };
    if (i % invalidEvery !== invalidEvery - 1) r.Last_Name = `L${i}`;
    return r;
  });
}

/** `n` valid leads with unique e-mails, tagged by `tag`. */
export function validLeads(n, tag = 'l') {
  return Array.from({ length: n }, (_, i) => ({ Last_Name: `Lead ${tag}${i}`, Email: `${tag}${i}@example.com` }));
}
