-- AWS managed policies present in every account, with their current
-- default versions as the AWS Managed Policy Reference Guide lists them
-- (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/NAME.html).
-- Only the default version of each is kept.
INSERT INTO iam_policies (arn, account_id, name_key, name, id, path, description, default_version, next_version, created_at, updated_at)
VALUES ('arn:aws:iam::aws:policy/AdministratorAccess', 'aws', 'administratoraccess', 'AdministratorAccess', 'ANPAIWMBCKSKIEE64ZLYK', '/',
        'Provides full access to AWS services and resources.', 'v1', 2, 1423247986000000000, 1423247986000000000);
INSERT INTO iam_policy_versions (policy_arn, version_id, version_no, document, created_at)
VALUES ('arn:aws:iam::aws:policy/AdministratorAccess', 'v1', 1, '{
  "Version" : "2012-10-17",
  "Statement" : [
    {
      "Effect" : "Allow",
      "Action" : "*",
      "Resource" : "*"
    }
  ]
}', 1423247986000000000);

INSERT INTO iam_policies (arn, account_id, name_key, name, id, path, description, default_version, next_version, created_at, updated_at)
VALUES ('arn:aws:iam::aws:policy/AmazonS3FullAccess', 'aws', 'amazons3fullaccess', 'AmazonS3FullAccess', 'ANPAIFIR6V6BVTRAHWINE', '/',
        'Provides full access to all buckets via the AWS Management Console.', 'v2', 3, 1423248058000000000, 1632777483000000000);
INSERT INTO iam_policy_versions (policy_arn, version_id, version_no, document, created_at)
VALUES ('arn:aws:iam::aws:policy/AmazonS3FullAccess', 'v2', 2, '{
  "Version" : "2012-10-17",
  "Statement" : [
    {
      "Effect" : "Allow",
      "Action" : [
        "s3:*",
        "s3-object-lambda:*"
      ],
      "Resource" : "*"
    }
  ]
}', 1632777483000000000);

INSERT INTO iam_policies (arn, account_id, name_key, name, id, path, description, default_version, next_version, created_at, updated_at)
VALUES ('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'aws', 'amazons3readonlyaccess', 'AmazonS3ReadOnlyAccess', 'ANPAIZTJ4DXE7G6AGAE6M', '/',
        'Provides read only access to all buckets via the AWS Management Console.', 'v3', 4, 1423248058000000000, 1691703060000000000);
INSERT INTO iam_policy_versions (policy_arn, version_id, version_no, document, created_at)
VALUES ('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'v3', 3, '{
  "Version" : "2012-10-17",
  "Statement" : [
    {
      "Effect" : "Allow",
      "Action" : [
        "s3:Get*",
        "s3:List*",
        "s3:Describe*",
        "s3-object-lambda:Get*",
        "s3-object-lambda:List*"
      ],
      "Resource" : "*"
    }
  ]
}', 1691703060000000000);
