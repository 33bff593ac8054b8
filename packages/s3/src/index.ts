export { S3AssetStore, s3AssetStore, type S3AssetStoreOptions } from './s3-asset-store';
