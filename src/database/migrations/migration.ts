/** One schema change. Statements run in order, inside the migration transaction, one statement each. */
export interface Migration {
  /** Sortable and unique, e.g. `0001_event_store`. Never rename or edit one that has shipped. */
  id: string;
  statements: string[];
}
