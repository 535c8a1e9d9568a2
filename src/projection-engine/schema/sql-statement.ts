/** One SQL statement with its parameters, built ahead of the transaction that runs it. */
export interface SqlStatement {
  text: string;
  params: unknown[];
}
