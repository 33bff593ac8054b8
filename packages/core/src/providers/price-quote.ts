/**
 * The credit cost and the expected duration of one request, known before it runs, so a caller is
 * told the price in `generate`'s answer and the credits are reserved before any paid call.
 */
export interface PriceQuote {
  /** Whole credits (1 credit = 0.01 USD). Reserved before submission, settled once. */
  creditCost: number;
  /** Seconds from submission to completion, typical; drives polling and `estimatedTime`. */
  estimatedTime: number;
}
